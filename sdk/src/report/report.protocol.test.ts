import { formatReportLine, parseReportLine } from './report.protocol.js';

describe('parseReportLine', () => {
  it.each([
    ['FAIRSWEEP_METRIC loss=0.31', { metrics: [{ name: 'loss', value: 0.31 }], step: null }],
    ['FAIRSWEEP_METRIC loss=0.31 accuracy=0.9 step=5', { metrics: [{ name: 'loss', value: 0.31 }, { name: 'accuracy', value: 0.9 }], step: 5 }],
    ['FAIRSWEEP_METRIC step=0 val/loss=-1.5e-3', { metrics: [{ name: 'val/loss', value: -0.0015 }], step: 0 }],
    ['  FAIRSWEEP_METRIC\tx=1  y=.5 \r', { metrics: [{ name: 'x', value: 1 }, { name: 'y', value: 0.5 }], step: null }],
    ['FAIRSWEEP_METRIC a.b-c_d=+3 e=1E+2', { metrics: [{ name: 'a.b-c_d', value: 3 }, { name: 'e', value: 100 }], step: null }],
  ])('reads %j', (line, expected) => {
    expect(parseReportLine(line)).toEqual(expected);
  });

  it.each([
    'epoch 1 loss=0.3',
    '',
    'FAIRSWEEP_SEED=12',
    'FAIRSWEEP_PARAMS={"lr":0.1}',
    'the FAIRSWEEP_METRIC line format',
  ])('treats %j as an ordinary line', (line) => {
    expect(parseReportLine(line)).toBeNull();
  });

  it.each([
    ['FAIRSWEEP_METRICS loss=1', 'unknown directive FAIRSWEEP_METRICS; the only one is FAIRSWEEP_METRIC'],
    ['FAIRSWEEP_METRIC', 'FAIRSWEEP_METRIC needs at least one name=value pair'],
    ['FAIRSWEEP_METRIC step=3', 'FAIRSWEEP_METRIC needs at least one metric besides step'],
    ['FAIRSWEEP_METRIC loss', 'expected name=value, got "loss"'],
    ['FAIRSWEEP_METRIC =1', 'expected name=value, got "=1"'],
    ['FAIRSWEEP_METRIC loss=nan', 'value of loss must be a finite number, got "nan"'],
    ['FAIRSWEEP_METRIC loss=inf', 'value of loss must be a finite number, got "inf"'],
    ['FAIRSWEEP_METRIC loss=1e999', 'value of loss must be a finite number, got "1e999"'],
    ['FAIRSWEEP_METRIC loss=0x10', 'value of loss must be a finite number, got "0x10"'],
    ['FAIRSWEEP_METRIC loss=', 'value of loss must be a finite number, got ""'],
    ['FAIRSWEEP_METRIC loss=1 loss=2', 'metric loss is given twice'],
    ['FAIRSWEEP_METRIC loss=1 step=1.5', 'step must be an integer >= 0, got "1.5"'],
    ['FAIRSWEEP_METRIC loss=1 step=-1', 'step must be an integer >= 0, got "-1"'],
    ['FAIRSWEEP_METRIC loss=1 step=1 step=2', 'step is given twice'],
    ['FAIRSWEEP_METRIC 1st=1', /^invalid metric name "1st"/],
  ])('explains what is wrong with %j', (line, error) => {
    const result = parseReportLine(line);
    expect(result).toHaveProperty('error');
    if (typeof error === 'string') expect(result).toEqual({ error });
    else expect((result as { error: string }).error).toMatch(error);
  });
});

describe('formatReportLine', () => {
  it('writes lines that parse back to the same metrics', () => {
    const metrics = { loss: 0.1 + 0.2, tiny: 1e-300, big: 1e21, neg: -0, n: 7 };
    const line = formatReportLine(metrics, 12);
    expect(line).toBe('FAIRSWEEP_METRIC loss=0.30000000000000004 tiny=1e-300 big=1e+21 neg=0 n=7 step=12');
    expect(parseReportLine(line)).toEqual({
      metrics: Object.entries(metrics).map(([name, value]) => ({ name, value: value === 0 ? 0 : value })),
      step: 12,
    });
  });

  it.each([
    [{}, undefined, /at least one metric/],
    [{ step: 1 }, undefined, /invalid metric name "step"/],
    [{ 'a b': 1 }, undefined, /invalid metric name/],
    [{ loss: NaN }, undefined, /metric loss must be a finite number, got NaN/],
    [{ loss: 1 }, -1, /step must be an integer >= 0/],
  ])('refuses %j (step %p)', (metrics, step, error) => {
    expect(() => formatReportLine(metrics, step)).toThrow(error);
  });
});
