import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handle, version } from '../handler.js';

function call(url) {
  let status;
  let body = '';
  const response = { writeHead: (code) => (status = code), end: (text = '') => (body += text) };
  handle({ url }, response);
  return { status, body };
}

test('answers its version', () => {
  assert.deepEqual(call('/version'), { status: 200, body: `${version}\n` });
});

test('is healthy', () => {
  assert.equal(call('/healthz').status, 200);
});

test('serves the home page as JSON', () => {
  const { status, body } = call('/');
  assert.equal(status, 200);
  assert.equal(JSON.parse(body).app, 'demo-app');
});
