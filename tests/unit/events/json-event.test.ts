import { describe, expect, it } from 'vitest';
import { classifyJsonEvent, createJsonEventRecord, readJsonEventText } from '../../../src/events/json-event.js';
import type { EventRecord } from '../../../src/compile/event-record.js';
import { fieldsOf } from './read-test-helpers.js';

function recordOf(value: unknown): EventRecord {
  const record = createJsonEventRecord(value, 'f.json', 7);
  if ('problem' in record) throw new Error(record.problem);
  return record;
}

describe('classifyJsonEvent', () => {
  it('tells evtx_dump, Winlogbeat 7+ (ECS), Winlogbeat 6, Log Analytics rows and flat objects apart', () => {
    expect(classifyJsonEvent({ Event: { System: {} } })).toBe('evtx-dump-json');
    expect(classifyJsonEvent({ Event: 'x' })).toBe('flat-json');
    expect(classifyJsonEvent({ winlog: { event_id: '1' } })).toBe('winlogbeat-ecs');
    expect(classifyJsonEvent({ winlog: { channel: 'Security' } })).toBe('winlogbeat-ecs');
    expect(classifyJsonEvent({ winlog: {} })).toBe('flat-json');
    expect(classifyJsonEvent({ log_name: 'Security', event_id: 4688, event_data: {} })).toBe('winlogbeat-legacy');
    expect(classifyJsonEvent({ log_name: 'Security' })).toBe('flat-json');
    expect(classifyJsonEvent({ Type: 'WindowsEvent', EventData: {} })).toBe('log-analytics');
    expect(classifyJsonEvent({ Type: 'securityevent' })).toBe('log-analytics');
    expect(classifyJsonEvent({ channel: 'Security', eventid: '4688', EventData: '<EventData/>' })).toBe('log-analytics');
    expect(classifyJsonEvent({ Channel: 'Security', EventID: 4688, NewProcessName: 'x' })).toBe('flat-json');
    expect(classifyJsonEvent({ Image: 'a' })).toBe('flat-json');
  });
});

describe('evtx_dump JSON', () => {
  it('flattens like Event XML: attributes, #text with attributes, unnamed Data lists, null as empty', () => {
    const record = recordOf({
      Event: {
        '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
        System: {
          Provider: { '#attributes': { Name: 'Service Control Manager', EventSourceName: 'Service Control Manager' } },
          EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 7036 },
          Version: 0,
          Correlation: null,
          Execution: { '#attributes': { ProcessID: 708, ThreadID: 2212 } },
          Channel: 'System',
          Security: null,
        },
        EventData: { Data: { '#text': ['Windows Update', 'running'] }, Binary: '7700' },
      },
    });
    expect(record.index).toBe(7);
    expect(record.channel).toBe('System');
    expect(record.eventId).toBe(7036);
    expect(record.version).toBe(0);
    expect(fieldsOf(record)).toEqual({
      Provider_Name: 'Service Control Manager',
      Provider_EventSourceName: 'Service Control Manager',
      EventID: '7036',
      EventID_Qualifiers: '16384',
      Version: '0',
      Execution_ProcessID: '708',
      Execution_ThreadID: '2212',
      Channel: 'System',
      Data: ['Windows Update', 'running'],
      Binary: '7700',
    });
  });

  it('renders named Data values as text, with null as the empty string', () => {
    const record = recordOf({
      Event: { System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational' }, EventData: { ProcessId: 5232, CommandLine: null, Flag: true } },
    });
    expect(record.get('ProcessId')).toBe('5232');
    expect(record.get('CommandLine')).toBe('');
    expect(record.get('Flag')).toBe('true');
  });

  it('reads UserData leaves and ignores nesting past a sane depth', () => {
    let deep: Record<string, unknown> = { Leaf: 'bottom' };
    for (let i = 0; i < 200; i += 1) deep = { Level: deep };
    const record = recordOf({
      Event: { System: { EventID: 1102, Channel: 'Security' }, UserData: { LogFileCleared: { SubjectUserName: 'dadmin' }, Deep: deep } },
    });
    expect(record.get('SubjectUserName')).toBe('dadmin');
    expect(record.get('Leaf')).toBeUndefined();
  });
});

describe('Winlogbeat / ECS JSON', () => {
  const document = {
    '@timestamp': '2023-04-18T09:12:44.581Z',
    winlog: {
      channel: 'Microsoft-Windows-Sysmon/Operational',
      event_id: 1,
      provider_name: 'Microsoft-Windows-Sysmon',
      record_id: '48213',
      computer_name: 'WEB01',
      version: 5,
      process: { pid: 2936, thread: { id: 3964 } },
      user: { identifier: 'S-1-5-18' },
      event_data: { RuleName: '-', Hashes: 'SHA256=AB', Image: 'C:\\from-event-data.exe' },
      keywords: ['Audit Success'],
      task: 'Process Create',
    },
    process: { executable: 'C:\\ecs.exe', command_line: 'x', pid: 5232, parent: { executable: 'C:\\w3wp.exe', pid: 4120 } },
    user: { domain: 'IIS APPPOOL', name: 'DefaultAppPool' },
    source: { ip: '10.0.0.1' },
    file: { path: 'C:\\dropped.txt' },
  };

  it('maps winlog.* to the Event XML System names and keeps event_data names', () => {
    const record = recordOf(document);
    expect(record.channel).toBe('Microsoft-Windows-Sysmon/Operational');
    expect(record.eventId).toBe(1);
    expect(record.version).toBe(5);
    expect(record.get('EventID')).toBe('1');
    expect(record.get('EventRecordID')).toBe('48213');
    expect(record.get('Execution_ProcessID')).toBe('2936');
    expect(record.get('Execution_ThreadID')).toBe('3964');
    expect(record.get('Security_UserID')).toBe('S-1-5-18');
    expect(record.get('Computer')).toBe('WEB01');
    expect(record.get('Hashes')).toBe('SHA256=AB');
    // Display names are not the XML's numbers: not mapped.
    expect(record.get('Keywords')).toBeUndefined();
    expect(record.get('Task')).toBeUndefined();
  });

  it('recovers Sysmon fields that Winlogbeat moved into ECS, without overriding event_data', () => {
    const record = recordOf(document);
    expect(record.get('Image')).toBe('C:\\from-event-data.exe');
    expect(record.get('CommandLine')).toBe('x');
    expect(record.get('ProcessId')).toBe('5232');
    expect(record.get('ParentImage')).toBe('C:\\w3wp.exe');
    expect(record.get('ParentProcessId')).toBe('4120');
    expect(record.get('User')).toBe('IIS APPPOOL\\DefaultAppPool');
    // Fields tied to other Sysmon event ids stay out of an event 1.
    expect(record.get('SourceIp')).toBeUndefined();
    expect(record.get('TargetFilename')).toBeUndefined();
  });

  it('recovers per-event ECS fields only for their Sysmon event ids, and nothing for other channels', () => {
    const network = recordOf({ ...document, winlog: { ...document.winlog, event_id: '3' } });
    expect(network.get('SourceIp')).toBe('10.0.0.1');
    const file = recordOf({ ...document, winlog: { ...document.winlog, event_id: '11' } });
    expect(file.get('TargetFilename')).toBe('C:\\dropped.txt');
    const security = recordOf({ ...document, winlog: { ...document.winlog, channel: 'Security', event_id: '4688', event_data: {} } });
    expect(security.get('Image')).toBeUndefined();
    expect(security.get('User')).toBeUndefined();
  });

  it('drops Winlogbeat\'s xml_name note from user_data', () => {
    const record = recordOf({ winlog: { channel: 'Security', event_id: '1102', user_data: { xml_name: 'LogFileCleared', SubjectUserName: 'dadmin' } } });
    expect(fieldsOf(record)).toEqual({ EventID: '1102', Channel: 'Security', SubjectUserName: 'dadmin' });
  });
});

describe('flat JSON', () => {
  it('reads own keys only, never the prototype chain', () => {
    const record = recordOf(JSON.parse('{"Image":"a.exe","__proto__":{"polluted":1},"nested":{"x":{"y":2}}}'));
    expect(record.get('Image')).toBe('a.exe');
    expect(record.get('constructor')).toBeUndefined();
    expect(record.get('toString')).toBeUndefined();
    expect(record.get('__proto__')).toEqual({ polluted: 1 });
    expect(record.get('nested.x.y')).toBe(2);
    expect(record.get('nested.toString')).toBeUndefined();
    expect(record.get('nested.x.y.z')).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('takes Channel, EventID and Version of a flattened Windows event as its own', () => {
    const record = recordOf({ Channel: 'Security', EventID: '4688', Version: 2, NewProcessName: 'x' });
    expect([record.channel, record.eventId, record.version]).toEqual(['Security', 4688, 2]);
    const flat = recordOf({ EventID: 'not a number' });
    expect(flat.eventId).toBeUndefined();
  });

  it('refuses values that are not objects', () => {
    for (const value of [1, 'x', null, [1], true]) {
      expect('problem' in createJsonEventRecord(value, 'f', 0)).toBe(true);
    }
  });
});

describe('readJsonEventText', () => {
  const at = { line: 4, column: 3 };

  it('reads an object into an event record at its index', () => {
    const item = readJsonEventText('{"Image": "C:\\\\x.exe"}', 'f.json', 7, at);
    expect(item.kind === 'event' ? [item.record.index, item.record.get('Image')] : item).toEqual([7, 'C:\\x.exe']);
  });

  it('places a syntax error where JSON.parse found it, across the lines of the value', () => {
    // "Expected ',' or '}' after property value in JSON at position 8" (13 in the second text).
    const sameLine = readJsonEventText('{"a": 1 "b": 2}', 'f.json', 0, at);
    expect(sameLine).toMatchObject({ kind: 'error', index: 0, diagnostic: { code: 'events/malformed-json', line: 4, column: 11 } });
    const laterLine = readJsonEventText('{\n  "a": 1\n  "b": 2\n}', 'f.json', 1, at);
    expect(laterLine).toMatchObject({ kind: 'error', index: 1, diagnostic: { code: 'events/malformed-json', line: 6, column: 3 } });
    // Without a position in the message, the error is placed where the value starts.
    expect(readJsonEventText('{"a": tru}', 'f.json', 2, at)).toMatchObject({ diagnostic: { line: 4, column: 3 } });
  });

  it('reports a value that is not an object where the value starts', () => {
    expect(readJsonEventText('[1]', 'f.json', 2, at)).toMatchObject({
      kind: 'error',
      index: 2,
      diagnostic: { code: 'events/not-an-object', line: 4, column: 3, message: 'an event must be a JSON object, not an array' },
    });
  });
});
