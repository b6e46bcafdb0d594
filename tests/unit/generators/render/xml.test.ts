import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../../../generators/render/xml.js';

describe('escapeXml', () => {
  it('escapes markup, quotes and the whitespace parsers would normalise', () => {
    expect(escapeXml(`cmd /c "echo <a> & b's"`)).toBe('cmd /c &quot;echo &lt;a&gt; &amp; b&apos;s&quot;');
    expect(escapeXml('a\tb\nc\r\nd')).toBe('a&#x9;b&#xA;c&#xD;&#xA;d');
    expect(escapeXml(']]>')).toBe(']]&gt;');
  });

  it('leaves plain text and non-ASCII alone', () => {
    expect(escapeXml('C:\\Program Files\\新建文件夹\\Données 😀')).toBe('C:\\Program Files\\新建文件夹\\Données 😀');
  });

  it('refuses characters XML 1.0 cannot carry', () => {
    expect(() => escapeXml('a\u0001b')).toThrow(RangeError);
    expect(() => escapeXml('a\ud800b')).toThrow(RangeError);
    expect(() => escapeXml('\uffff')).toThrow(RangeError);
  });
});
