import { describe, expect, it } from 'vitest';
import { commonJsExports } from './modules.js';

describe('commonJsExports', () => {
  const api = { parse: () => 1, scan: () => 2 };
  it("is Node's namespace as it is, or a bundle's default", () => {
    expect(commonJsExports(api, 'parse')).toBe(api);
    expect(commonJsExports({ default: api } as unknown as typeof api, 'parse')).toBe(api);
  });
  it('names the export it did not find', () => {
    expect(() => commonJsExports({ default: {} } as unknown as typeof api, 'scan')).toThrow('no export scan');
  });
});
