import { interpolate, MissingVariableError } from '../../../src/catalog/interpolate.ts';

describe('interpolate', () => {
  it('replaces variables in nested strings and keeps other values', () => {
    const document = { a: 'https://${HOST}:${PORT}/x', list: ['${HOST}', 3, true, null] };
    expect(interpolate(document, { HOST: 'example.com', PORT: '8443' })).toEqual({
      a: 'https://example.com:8443/x',
      list: ['example.com', 3, true, null],
    });
  });

  it('uses the default only when the variable is unset or empty', () => {
    expect(interpolate('${A:-one}/${B:-two}/${C:-}', { A: 'set', B: '' })).toBe('set/two/');
  });

  it('fails loudly on a missing variable, naming it and where it is used', () => {
    const attempt = () => interpolate({ services: { web: { cluster: '${CLUSTER}' } } }, {});
    expect(attempt).toThrow(MissingVariableError);
    expect(attempt).toThrow('${CLUSTER} is not set');
    let caught: unknown;
    try {
      attempt();
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ path: 'services.web.cluster', variable: 'CLUSTER' });
  });

  it('leaves an escaped $${ as a literal', () => {
    expect(interpolate('cost: $${AMOUNT}', {})).toBe('cost: ${AMOUNT}');
  });
});
