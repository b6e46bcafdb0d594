/** An XML element as a plain tree (shared by the XML reader and this EVTX reader). */
export interface XmlElement {
  readonly name: string;                                  // local name, no namespace prefix
  readonly attributes: Readonly<Record<string, string>>;  // create with Object.create(null)-safe handling: attribute named __proto__ must not pollute
  readonly children: readonly (XmlElement | string)[];    // text children as strings
}
