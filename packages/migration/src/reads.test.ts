import { describe, expect, it } from 'vitest';
import { liveReads, readsColumn, readsRelation, readsSchema } from './reads.js';
import { parseSql } from './sql.js';

async function reads(sql: string) {
  return liveReads([{ file: 'q.sql', statements: await parseSql(sql, 'q.sql') }]);
}

const users = { schema: 'public', name: 'users' };
const orders = { schema: 'public', name: 'orders' };

describe('liveReads', () => {
  it('attributes qualified columns to their table or alias, unqualified ones to every table of the statement', async () => {
    const live = await reads('SELECT u.email, total FROM users u JOIN orders ON orders.user_id = u.id;');
    expect(readsColumn(live, users, 'email')).toEqual({ file: 'q.sql', line: 1 });
    expect(readsColumn(live, orders, 'email')).toBeUndefined();
    expect(readsColumn(live, users, 'total')).toBeDefined();
    expect(readsColumn(live, orders, 'total')).toBeDefined();
    expect(readsColumn(live, orders, 'user_id')).toBeDefined();
    expect(readsColumn(live, users, 'user_id')).toBeUndefined();
    expect(readsColumn(live, users, 'name')).toBeUndefined();
  });

  it('counts * and an INSERT without a column list as every column', async () => {
    const live = await reads('SELECT * FROM users;\nINSERT INTO orders VALUES (1, 2);\nSELECT o.* FROM audit a, billing.orders o;');
    expect(readsColumn(live, users, 'anything')).toEqual({ file: 'q.sql', line: 1 });
    expect(readsColumn(live, orders, 'anything')).toEqual({ file: 'q.sql', line: 2 });
    expect(readsColumn(live, { schema: 'billing', name: 'orders' }, 'anything')).toEqual({ file: 'q.sql', line: 3 });
    expect(readsColumn(live, { schema: 'public', name: 'audit' }, 'anything')).toBeUndefined();
  });

  it("reads INSERT's columns, UPDATE's SET and ON CONFLICT's target", async () => {
    const live = await reads(
      'INSERT INTO users (email, name) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET seen = now();\nUPDATE orders SET status = $1 WHERE id = $2;',
    );
    for (const column of ['email', 'name', 'seen']) expect(readsColumn(live, users, column), column).toBeDefined();
    expect(readsColumn(live, users, 'id')).toBeUndefined();
    expect(readsColumn(live, orders, 'status')).toEqual({ file: 'q.sql', line: 2 });
  });

  it('keeps quoted names as written and resolves unqualified relations to public', async () => {
    const live = await reads('SELECT "dueDate" FROM billing."Invoices";\nSELECT 1 FROM Users;');
    expect(readsColumn(live, { schema: 'billing', name: 'Invoices' }, 'dueDate')).toBeDefined();
    expect(readsColumn(live, { schema: 'billing', name: 'Invoices' }, 'duedate')).toBeUndefined();
    expect(readsRelation(live, { schema: 'billing', name: 'invoices' })).toBeUndefined();
    expect(readsRelation(live, users)).toEqual({ file: 'q.sql', line: 2 });
    expect(readsSchema(live, 'billing')).toEqual({ file: 'q.sql', line: 1 });
    expect(readsSchema(live, 'archive')).toBeUndefined();
  });
});
