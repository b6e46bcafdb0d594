import { describe, expect, it } from 'vitest';
import { parseReferenceExport } from './reference-export.js';

describe('parseReferenceExport', () => {
  it('reads each <Event>, dropping layout whitespace but keeping value text exactly', () => {
    const text = [
      'evtxexport 20181227',
      '',
      '<Event xmlns="urn:e">',
      '  <System>',
      '    <EventID>4688</EventID>',
      '    <Security/>',
      '  </System>',
      '  <EventData>',
      '    <Data Name="List">a\r\n\t\tb</Data>',
      '    <Data Name="Spaces">  </Data>',
      '  </EventData>',
      '</Event>',
      '',
      '<Event><System/></Event>',
      '',
    ].join('\n');
    const events = JSON.parse(JSON.stringify(parseReferenceExport(text)));
    expect(events).toEqual([
      {
        name: 'Event',
        attributes: { xmlns: 'urn:e' },
        children: [
          {
            name: 'System',
            attributes: {},
            children: [
              { name: 'EventID', attributes: {}, children: ['4688'] },
              { name: 'Security', attributes: {}, children: [] },
            ],
          },
          {
            name: 'EventData',
            attributes: {},
            children: [
              { name: 'Data', attributes: { Name: 'List' }, children: ['a\r\n\t\tb'] },
              { name: 'Data', attributes: { Name: 'Spaces' }, children: ['  '] },
            ],
          },
        ],
      },
      { name: 'Event', attributes: {}, children: [{ name: 'System', attributes: {}, children: [] }] },
    ]);
  });
});
