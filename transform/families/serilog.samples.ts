import type { FamilySample, SampleSource } from './family.js';

const README: SampleSource = {
  project: 'serilog/serilog-formatting-compact',
  url: 'https://github.com/serilog/serilog-formatting-compact/blob/dev/README.md',
  license: 'Apache-2.0',
};
const CLEF: SampleSource = {
  project: 'clef-json/clef-json.github.io (CLEF spec)',
  url: 'https://github.com/clef-json/clef-json.github.io/blob/master/README.md',
  license: 'Apache-2.0',
};
const ANALOGY: SampleSource = {
  project: 'Analogy-LogViewer/Analogy.LogViewer.Serilog',
  url: 'https://github.com/Analogy-LogViewer/Analogy.LogViewer.Serilog/blob/master/README.md',
  license: 'MIT',
};

/** Real CLEF lines (README / spec examples) and what they map to. */
export const samples: readonly FamilySample[] = [
  {
    name: 'CompactJsonFormatter: a template with one property',
    line: '{"@t":"2016-06-07T03:44:57.8532799Z","@mt":"Hello, {User}","User":"nblumhardt"}',
    source: README,
    expect: {
      '@timestamp': '2016-06-07T03:44:57.853Z',
      message: 'Hello, "nblumhardt"',
      log: { level: 'info', format: 'serilog' },
      attributes: { '@mt': 'Hello, {User}', User: 'nblumhardt' },
    },
  },
  {
    name: 'RenderedCompactJsonFormatter: @m and @i',
    line: '{"@t":"2016-06-07T03:44:57.8532799Z","@m":"Hello, \\"nblumhardt\\"","@i":"7a8b9c0d","User":"nblumhardt"}',
    source: README,
    expect: {
      message: 'Hello, "nblumhardt"',
      log: { level: 'info', format: 'serilog' },
      attributes: { '@i': '7a8b9c0d', User: 'nblumhardt' },
    },
  },
  {
    name: 'a destructured property',
    line: '{"@t":"2016-10-12T04:46:58.0554314Z","@mt":"Hello, {@User}","User":{"Name":"nblumhardt","Id":101}}',
    source: ANALOGY,
    expect: {
      '@timestamp': '2016-10-12T04:46:58.055Z',
      message: 'Hello, {"Name":"nblumhardt","Id":101}',
      attributes: { User: { Name: 'nblumhardt', Id: 101 } },
    },
  },
  {
    name: 'a formatted token takes its @r rendering',
    line: '{"@t":"2016-10-12T04:46:58.0684369Z","@mt":"Number {N:x8}","@r":["0000002a"],"N":42}',
    source: ANALOGY,
    expect: { message: 'Number 0000002a', attributes: { N: 42 } },
  },
  {
    name: '@l Warning',
    line: '{"@t":"2016-10-12T04:46:58.0724384Z","@mt":"Tags are {Tags}","@l":"Warning","Tags":["test","orange"]}',
    source: ANALOGY,
    expect: { message: 'Tags are ["test","orange"]', log: { level: 'warn', format: 'serilog' } },
  },
  {
    name: '@l Error with @x',
    line: '{"@t":"2016-10-12T04:46:58.0904378Z","@mt":"Something failed","@l":"Error", "@x":"System.DivideByZer...<snip>"}',
    source: ANALOGY,
    expect: {
      message: 'Something failed',
      log: { level: 'error', format: 'serilog' },
      error: { message: 'System.DivideByZer...<snip>' },
    },
  },
  {
    name: 'the CLEF spec example',
    line: '{"@t":"2016-06-07T03:44:57.8532799Z","@mt":"Hello, {User}","User":"nblumhardt"}',
    source: CLEF,
    expect: { message: 'Hello, "nblumhardt"', log: { level: 'info' } },
  },
];
