// Conformance test: the real npm client backend.ai-client@21.3.1 (written by Backend.AI's authors)
// against our local server. Run by ai.backend.local.NpmClientConformanceTest with BACKEND_ENDPOINT,
// BACKEND_ACCESS_KEY and BACKEND_SECRET_KEY of a running local server:
//   node --test conformance/npm/conformance.test.js
// It loads backend.ai-client-node.js directly under Node 20, with the minimal browser globals the
// package touches, and forces API v4.20190315 (its default is refused by a 19.03 manager).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');

const store = new Map();
globalThis.localStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
if (typeof globalThis.navigator === 'undefined') globalThis.navigator = { onLine: true };
const ai = require('backend.ai-client/backend.ai-client-node.js');

function client() {
  const { BACKEND_ENDPOINT, BACKEND_ACCESS_KEY, BACKEND_SECRET_KEY } = process.env;
  assert.ok(BACKEND_ENDPOINT && BACKEND_ACCESS_KEY && BACKEND_SECRET_KEY, 'BACKEND_* variables must be set');
  const cfg = new ai.ClientConfig(BACKEND_ACCESS_KEY, BACKEND_SECRET_KEY, BACKEND_ENDPOINT);
  cfg._apiVersion = 'v4.20190315';
  return new ai.Client(cfg, 'java-conformance');
}

test('the npm client creates a session, executes code, reads the result and destroys it', async () => {
  const c = client();
  const version = await c.get_manager_version();
  assert.equal(version, '19.03.5');
  assert.equal(c.kernelPrefix, '/kernel');

  const token = 'npm' + Date.now().toString(36);
  const created = await c.createIfNotExists('python', token, {});
  assert.equal(created.kernelId, token);
  assert.equal(created.created, true);
  const again = await c.createIfNotExists('python', token, {});
  assert.equal(again.created, false);

  try {
    let r = (await c.execute(token, null, 'query', 'x = 20\nprint(x + 22)', {})).result;
    assert.match(r.runId, /^[0-9a-f]{32}$/);
    const out = [];
    for (;;) {
      for (const [type, data] of r.console) if (type === 'stdout') out.push(data);
      if (r.status === 'finished') break;
      assert.equal(r.status, 'continued');
      r = (await c.execute(token, r.runId, 'continue', '', {})).result;
    }
    assert.equal(out.join(''), '42\n');
    assert.equal(r.exitCode, 0);

    r = (await c.execute(token, null, 'query', 'name = input("who? ")\nprint("hi " + name)', {})).result;
    assert.equal(r.status, 'waiting-input');
    assert.deepEqual(r.options, { is_password: false });
    r = (await c.execute(token, r.runId, 'input', 'npm', {})).result;
    assert.deepEqual(r.console, [['stdout', 'hi npm\n']]);

    const info = await c.get_info(token);
    assert.equal(info.image, 'python:latest');
    assert.ok(info.numQueriesExecuted >= 2);
  } finally {
    const destroyed = await c.destroy(token);
    assert.ok(destroyed.stats, 'destroy answers with stats');
    assert.equal(typeof destroyed.stats.cpu_used, 'number');
  }
  // the npm client wraps every error answer as a "server-error" whose title carries the problem's title
  await assert.rejects(c.get_info(token), (e) => {
    assert.equal(e.statusCode, 404);
    assert.equal(e.title, '404 Not Found - No such kernel.');
    return true;
  });
});

test('the npm client gets the real error for an unknown image', async () => {
  const c = client();
  await assert.rejects(c.createIfNotExists('nosuchimage', 'npmbad' + Date.now().toString(36), {}), (e) => {
    assert.equal(e.type, 'https://api.backend.ai/probs/server-error');
    assert.equal(e.statusCode, 400);
    assert.equal(e.title, '400 Bad Request - Missing or invalid API parameters. (Unknown image reference: nosuchimage)');
    return true;
  });
});

test('the npm client reads keypairs, images, resource policies and folders', async () => {
  const c = client();
  await c.get_manager_version();
  const me = await c.keypair.info(process.env.BACKEND_ACCESS_KEY,
    ['access_key', 'is_active', 'is_admin', 'user_id', 'concurrency_used', 'rate_limit', 'resource_policy']);
  assert.equal(me.keypair.access_key, process.env.BACKEND_ACCESS_KEY);
  assert.equal(me.keypair.is_active, true);
  assert.equal(me.keypair.resource_policy, 'default');

  const images = await c.image.list(['name', 'tag', 'registry', 'installed', 'resource_limits { key min max }']);
  const python = images.images.find((i) => i.name === 'python');
  assert.ok(python, 'the python image is listed');
  assert.deepEqual(python.resource_limits.map((l) => l.key).sort(), ['cpu', 'mem']);

  const policy = await c.resourcePolicy.get('default');
  assert.equal(policy.keypair_resource_policy.name, 'default');
  assert.equal(typeof policy.keypair_resource_policy.total_resource_slots, 'string');

  const name = 'npmvf' + Date.now().toString(36);
  const created = await c.vfolder.create(name, 'local');
  assert.equal(created.name, name);
  const folders = await c.vfolder.list();
  assert.ok(folders.some((f) => f.name === name && f.is_owner === true));
  const hosts = await c.vfolder.list_hosts();
  assert.deepEqual(hosts.allowed, ['local']);
  c.vfolder.name = name;
  await c.vfolder.delete(name);
  assert.ok(!(await c.vfolder.list()).some((f) => f.name === name));
});

test('the npm client gets the real error when the server is frozen, and nothing is created', async () => {
  const { BACKEND_ENDPOINT, BACKEND_ADMIN_ACCESS_KEY, BACKEND_ADMIN_SECRET_KEY } = process.env;
  assert.ok(BACKEND_ADMIN_ACCESS_KEY && BACKEND_ADMIN_SECRET_KEY, 'BACKEND_ADMIN_* variables must be set');
  const adminCfg = new ai.ClientConfig(BACKEND_ADMIN_ACCESS_KEY, BACKEND_ADMIN_SECRET_KEY, BACKEND_ENDPOINT);
  adminCfg._apiVersion = 'v4.20190315';
  const admin = new ai.Client(adminCfg, 'java-conformance');
  const c = client();
  const token = 'npmfrozen' + Date.now().toString(36);
  await admin._wrapWithPromise(admin.newSignedRequest('PUT', '/manager/status', { status: 'frozen', force_kill: false }));
  try {
    await assert.rejects(c.createIfNotExists('python', token, {}), (e) => {
      // the client reports every error response as its own server-error category; the real type shows in the title
      assert.equal(e.type, 'https://api.backend.ai/probs/server-error');
      assert.equal(e.statusCode, 503);
      assert.equal(e.title, '503 Service Unavailable - The server is frozen due to maintenance. Please try again later.');
      return true;
    });
  } finally {
    await admin._wrapWithPromise(admin.newSignedRequest('PUT', '/manager/status', { status: 'running' }));
  }
  // nothing was created while frozen
  await assert.rejects(c.get_info(token), (e) => {
    assert.equal(e.statusCode, 404);
    return true;
  });
});
