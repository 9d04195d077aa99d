import { Octokit } from '@octokit/core';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { describe, expect, it } from 'vitest';
import { restEndpoints, ROUTES } from './endpoints.js';

// Their data: the two clients' defaults hold hooks of their own, which toEqual would compare by identity.
const data = (value: object) => JSON.parse(JSON.stringify(value)) as unknown;

describe('the REST methods Cutover calls', () => {
  const ours = restEndpoints(new Octokit()).rest as unknown as Record<string, Record<string, { endpoint: { DEFAULTS: object } }>>;
  const plugin = new (Octokit.plugin(restEndpointMethods))().rest as unknown as Record<string, Record<string, { endpoint: { DEFAULTS: object } }>>;

  it('are the plugin’s methods: the same method, route and defaults', () => {
    const names = Object.entries(ROUTES).flatMap(([scope, methods]) => Object.keys(methods).map((name) => [scope, name] as const));
    for (const [scope, name] of names) {
      expect(plugin[scope]?.[name], `${scope}.${name} in the plugin`).toBeDefined();
      expect(data(ours[scope]![name]!.endpoint.DEFAULTS), `${scope}.${name}`).toEqual(data(plugin[scope]![name]!.endpoint.DEFAULTS));
    }
  });

  it('send the request the plugin would', () => {
    const request = { owner: 'octo-org', repo: 'app', release_id: 7, name: 'app.tar.gz', data: 'x' };
    const parse = (methods: typeof ours) => (methods.repos!.uploadReleaseAsset!.endpoint as unknown as (options: object) => object)(request);
    expect(data(parse(ours))).toEqual(data(parse(plugin)));
    expect(parse(ours)).toMatchObject({
      method: 'POST',
      url: expect.stringMatching(/^https:\/\/uploads\.github\.com\/repos\/octo-org\/app\/releases\/7\/assets\?name=app\.tar\.gz/),
    });
  });
});
