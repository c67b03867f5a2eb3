import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HttpClient } from '../../../src/collect/http-client.js';
import { ClientCredentialsAuth } from '../../../src/collect/spotify/auth.js';
import { JobError } from '../../../src/errors.js';
import { CLIENT_ID, CLIENT_SECRET } from '../../support/collect-harness.js';
import { SpotifyStandIn } from '../../support/spotify-stand-in.js';
import { inspect } from 'node:util';

let standIn: SpotifyStandIn;
before(async () => {
  // The token tests need no catalogue, so a search returns no artists.
  const catalogue = { artists: new Map(), albums: new Map(), tracks: new Map(), artistIdOf: () => '' };
  standIn = await SpotifyStandIn.start({ catalogue, mode: 'old', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
});
after(() => standIn.close());

function accounts(): HttpClient {
  return new HttpClient({ service: 'Spotify accounts', baseUrl: standIn.accountsUrl, requestsPerSecond: 1000 });
}

test('auth: token reused until near expiry', async () => {
  let now = 0;
  const auth = new ClientCredentialsAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, { accounts: accounts(), now: () => now });
  const first = await auth.header();
  now = 3600_000 - 61_000;
  assert.equal(await auth.header(), first);
  assert.equal(auth.tokensFetched, 1);
});

test('auth: renewed a minute before expiry', async () => {
  let now = 0;
  const auth = new ClientCredentialsAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, { accounts: accounts(), now: () => now });
  const first = await auth.header();
  now = 3600_000 - 60_000;
  const second = await auth.header();
  assert.notEqual(second, first);
  assert.equal(auth.tokensFetched, 2);
});

test('auth: invalidate fetches a new token', async () => {
  const auth = new ClientCredentialsAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, { accounts: accounts() });
  await auth.header();
  auth.invalidate();
  await auth.header();
  assert.equal(auth.tokensFetched, 2);
});

test('auth: secret hidden from inspect', () => {
  const auth = new ClientCredentialsAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, { accounts: accounts() });
  assert.equal(inspect(auth, { depth: 5 }).includes(CLIENT_SECRET), false);
  assert.equal(JSON.stringify(auth).includes(CLIENT_SECRET), false);
});

test('auth: invalid_client names the variables', async () => {
  const auth = new ClientCredentialsAuth({ clientId: CLIENT_ID, clientSecret: 'wrong-secret-41c2' }, { accounts: accounts() });
  const error = await auth.header().catch((caught) => caught);
  assert.ok(error instanceof JobError);
  assert.match(error.message, /400 \(invalid_client: Invalid client\)/);
  assert.match(error.message, /SPOTIFY_CLIENT_SECRET/);
  assert.doesNotMatch(error.message, /wrong-secret-41c2/);
});

test('auth: second 401 in a row fails', async () => {
  const auth = new ClientCredentialsAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, { accounts: accounts() });
  const api = new HttpClient({ service: 'Spotify', baseUrl: standIn.apiUrl, authorizer: auth, requestsPerSecond: 1000 });
  standIn.inject({ kind: 'expire-token', endpoint: 'search', times: 2 });
  const error = await api.get('/search?q=Queen&type=artist&limit=10').catch((caught) => caught);
  assert.ok(error instanceof JobError);
  assert.match(error.message, /returned 401/);
  assert.equal(auth.tokensFetched, 2);
});
