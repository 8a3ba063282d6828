import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import YAML from 'yaml';
import { SERVICE_ERROR, ServiceError } from './errors.js';
import {
  DEFAULT_OPENSEARCH_VERSION,
  ensureOpenSearchInstalled,
  launchOpenSearch,
  type OpenSearchNode,
  type StartOpenSearchOptions,
} from './opensearch.js';
import { cacheDir, requireTool, run, tail } from './tools.js';

/** The plugin class the runner loads (from the plugin zip's plugin-descriptor.properties). */
const SECURITY_PLUGIN_CLASS = 'org.opensearch.security.OpenSearchSecurityPlugin';
/** Maven coordinates of the security plugin zip; its version is the runner's (OpenSearch + `.0`). */
const SECURITY_ARTIFACT = 'org.opensearch.plugin:opensearch-security';
const MVN_HINT = 'apt-get install maven';
const OPENSSL_HINT = 'apt-get install openssl';
const UNZIP_HINT = 'apt-get install unzip';

/** Basic-auth credentials of an internal user. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** A node started by {@link startSecureOpenSearch}: HTTPS, fine-grained access control. */
export interface SecureOpenSearchNode extends OpenSearchNode {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** PEM of the test CA that signed the node's certificate (trust it to connect). */
  readonly ca: string;
  /** Path of that PEM file. */
  readonly caFile: string;
  /** An internal user mapped to `all_access` and `security_manager` (backend role `admin`). */
  readonly admin: Credentials;
  /** A request as `as` (default the admin) over TLS; returns status and parsed JSON body. */
  request(
    method: string,
    urlPath: string,
    body?: unknown,
    as?: Credentials,
  ): Promise<{ status: number; body: unknown }>;
  /**
   * Creates an internal user with a random strong password and the given backend roles (what
   * an IAM role ARN becomes under SigV4 on Amazon OpenSearch Service) through the security API.
   */
  createUser(username: string, backendRoles: readonly string[]): Promise<Credentials>;
}

/** Options of {@link startSecureOpenSearch}. */
export type StartSecureOpenSearchOptions = Omit<StartOpenSearchOptions, 'detached'>;

/**
 * Makes sure the security plugin's jars that the runner does not already have are in
 * `<cache>/opensearch-security-<version>/lib` (zip from Maven Central via `mvn dependency:copy`,
 * unpacked once), with the plugin's default security config in `lib/config`. Returns the home folder.
 */
async function ensureSecurityPluginInstalled(version = DEFAULT_OPENSEARCH_VERSION): Promise<string> {
  const runnerLib = await ensureOpenSearchInstalled(version);
  const home = path.join(cacheDir(), `opensearch-security-${version}`);
  const lib = path.join(home, 'lib');
  if (existsSync(path.join(lib, `opensearch-security-${version}.jar`))) {
    if (existsSync(path.join(lib, 'config'))) return home;
    await rm(lib, { recursive: true, force: true }); // an install of an older layout
  }
  await requireTool('mvn', ['-v'], MVN_HINT);
  await mkdir(home, { recursive: true });
  const tmp = await mkdtemp(path.join(home, 'tmp-'));
  try {
    const res = await run(
      'mvn',
      [
        '-q',
        '-B',
        'dependency:copy',
        `-Dartifact=${SECURITY_ARTIFACT}:${version}:zip`,
        `-DoutputDirectory=${tmp}`,
      ],
      { installHint: MVN_HINT, cwd: tmp },
    );
    const zip = path.join(tmp, `opensearch-security-${version}.zip`);
    if (res.code !== 0 || !existsSync(zip)) {
      throw new ServiceError(
        SERVICE_ERROR.installFailed,
        `fetching ${SECURITY_ARTIFACT}:${version}:zip from Maven Central failed (exit ${res.code}): ${tail(res.stdout + res.stderr)}`,
      );
    }
    const unpacked = path.join(tmp, 'plugin');
    const unzip = await run('unzip', ['-q', '-o', zip, '-d', unpacked], { installHint: UNZIP_HINT });
    if (unzip.code !== 0) {
      throw new ServiceError(SERVICE_ERROR.installFailed, `unzip of ${zip} failed: ${tail(unzip.stderr)}`);
    }
    // One copy of each library on the classpath: the runner's version wins where both ship one.
    const artifact = (jar: string): string => jar.replace(/-\d[\w.-]*\.jar$/, '');
    const have = new Set((await readdir(runnerLib)).map(artifact));
    const staged = path.join(tmp, 'lib');
    await mkdir(staged);
    for (const jar of await readdir(unpacked)) {
      if (jar.endsWith('.jar') && !have.has(artifact(jar))) {
        await copyFile(path.join(unpacked, jar), path.join(staged, jar));
      }
    }
    await rename(path.join(unpacked, 'config'), path.join(staged, 'config'));
    try {
      await rename(staged, lib);
    } catch {
      // Another process installed it meanwhile; keep theirs.
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return home;
}

/** A random password the plugin's strength check accepts. */
const strongPassword = (): string => `${randomBytes(18).toString('base64url')}-Aa1!`;

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  const res = await run('openssl', args, { installHint: OPENSSL_HINT, cwd });
  if (res.code !== 0) {
    throw new ServiceError(
      SERVICE_ERROR.startFailed,
      `openssl ${args[0]} failed (exit ${res.code}): ${tail(res.stderr)}`,
    );
  }
}

/**
 * A throwaway CA and a node certificate it signs (SAN localhost/127.0.0.1, server+client auth,
 * PKCS#8 key as the plugin requires), written to `dir` as ca.pem, node.pem, node-key.pem.
 */
async function writeCertificates(dir: string): Promise<void> {
  await requireTool('openssl', ['version'], OPENSSL_HINT);
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca-key.pem',
      '-out',
      'ca.pem',
      '-days',
      '3',
      '-subj',
      '/CN=sluice-test-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  await openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'node-rsa.pem',
      '-out',
      'node.csr',
      '-subj',
      '/CN=sluice-node',
    ],
    dir,
  );
  await writeFile(
    path.join(dir, 'node.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'node.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      'node.pem',
      '-days',
      '3',
      '-extfile',
      'node.ext',
    ],
    dir,
  );
  await openssl(['pkcs8', '-topk8', '-nocrypt', '-in', 'node-rsa.pem', '-out', 'node-key.pem'], dir);
  for (const f of ['ca-key.pem', 'node-rsa.pem', 'node.csr', 'node.ext', 'ca.srl']) {
    await rm(path.join(dir, f), { force: true });
  }
}

/** The plugin's own bcrypt hasher (in its jar), reading the password from the environment. */
async function bcryptHash(classpath: string, password: string): Promise<string> {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const res = await run(
    java,
    ['-cp', classpath, 'org.opensearch.security.tools.Hasher', '-env', 'SLUICE_HASH_PW'],
    {
      installHint: 'apt-get install openjdk-17-jre-headless',
      env: { ...process.env, SLUICE_HASH_PW: password },
    },
  );
  const hash = res.stdout.trim().split('\n').pop() ?? '';
  if (res.code !== 0 || !hash.startsWith('$2')) {
    throw new ServiceError(
      SERVICE_ERROR.startFailed,
      `hashing the admin password failed: ${tail(res.stderr)}`,
    );
  }
  return hash;
}

const yaml = (doc: unknown): string => YAML.stringify(doc);
const meta = (type: string) => ({ _meta: { type, config_version: 2 } });

/**
 * Starts a real OpenSearch node with the security plugin (the runner loads it from the
 * classpath): TLS on HTTP and transport with a fresh test CA, HTTP basic authentication against
 * the internal user database, fine-grained access control, and one admin. Audit logging is off.
 */
export async function startSecureOpenSearch(
  opts: StartSecureOpenSearchOptions = {},
): Promise<SecureOpenSearchNode> {
  const version = opts.version ?? DEFAULT_OPENSEARCH_VERSION;
  const runnerLib = await ensureOpenSearchInstalled(version);
  const home = await ensureSecurityPluginInstalled(version);
  const secLib = path.join(home, 'lib');
  const admin: Credentials = { username: 'admin', password: strongPassword() };
  const hash = await bcryptHash(
    [runnerLib, secLib].map((d) => `${d}/*`).join(path.delimiter),
    admin.password,
  );
  let ca = '';
  let caFile = '';
  const request = (
    url: string,
    method: string,
    urlPath: string,
    body: unknown,
    as: Credentials,
  ): Promise<{ status: number; body: unknown }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        new URL(urlPath, url),
        {
          method,
          ca,
          auth: `${as.username}:${as.password}`,
          headers: payload ? { 'content-type': 'application/json' } : {},
          timeout: 10_000,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => {
            text += d;
          });
          res.on('end', () => {
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(payload);
    });

  const node = await launchOpenSearch(opts, {
    classpath: [secLib],
    pluginTypes: [SECURITY_PLUGIN_CLASS],
    scheme: 'https',
    async prepare(confPath) {
      await writeCertificates(confPath);
      caFile = path.join(confPath, 'ca.pem');
      ca = await readFile(caFile, 'utf8');
      const secDir = path.join(confPath, 'opensearch-security');
      await mkdir(secDir, { recursive: true });
      for (const f of await readdir(path.join(secLib, 'config'))) {
        if (f.endsWith('.yml')) await copyFile(path.join(secLib, 'config', f), path.join(secDir, f));
      }
      await writeFile(
        path.join(secDir, 'config.yml'),
        yaml({
          ...meta('config'),
          config: {
            dynamic: {
              http: { anonymous_auth_enabled: false },
              authc: {
                basic_internal_auth_domain: {
                  http_enabled: true,
                  transport_enabled: true,
                  order: 0,
                  http_authenticator: { type: 'basic', challenge: true },
                  authentication_backend: { type: 'intern' },
                },
              },
            },
          },
        }),
      );
      await writeFile(
        path.join(secDir, 'internal_users.yml'),
        yaml({ ...meta('internalusers'), admin: { hash, reserved: false, backend_roles: ['admin'] } }),
      );
      // Amazon OpenSearch Service predefines `security_manager` (the security REST API); the
      // open-source plugin does not, so the node defines it: REST API access comes from
      // `restapi.roles_enabled` (a role holding `restapi:admin/*` could not be re-mapped).
      await writeFile(
        path.join(secDir, 'roles.yml'),
        yaml({
          ...meta('roles'),
          security_manager: {
            reserved: false,
            description: 'Manage users, roles and mappings through the security REST API (as on AWS)',
            cluster_permissions: ['cluster_monitor'],
          },
        }),
      );
      await writeFile(
        path.join(secDir, 'roles_mapping.yml'),
        yaml({
          ...meta('rolesmapping'),
          all_access: { reserved: false, backend_roles: ['admin'] },
          security_manager: { reserved: false, backend_roles: ['admin'] },
        }),
      );
      return {
        'plugins.security.ssl.transport.pemcert_filepath': 'node.pem',
        'plugins.security.ssl.transport.pemkey_filepath': 'node-key.pem',
        'plugins.security.ssl.transport.pemtrustedcas_filepath': 'ca.pem',
        'plugins.security.ssl.transport.enforce_hostname_verification': false,
        'plugins.security.ssl.http.enabled': true,
        'plugins.security.ssl.http.pemcert_filepath': 'node.pem',
        'plugins.security.ssl.http.pemkey_filepath': 'node-key.pem',
        'plugins.security.ssl.http.pemtrustedcas_filepath': 'ca.pem',
        'plugins.security.allow_default_init_securityindex': true,
        'plugins.security.nodes_dn': ['CN=sluice-node'],
        'plugins.security.restapi.roles_enabled': ['all_access', 'security_manager'],
        'plugins.security.audit.type': 'noop',
      };
    },
    async healthy(url) {
      try {
        const res = await request(
          url,
          'GET',
          '/_cluster/health?wait_for_status=yellow&timeout=1s',
          undefined,
          admin,
        );
        return res.status === 200;
      } catch {
        return false;
      }
    },
  });
  const secure: SecureOpenSearchNode = {
    ...node,
    ca,
    caFile,
    admin,
    request: (method, urlPath, body, as = admin) => request(node.url, method, urlPath, body, as),
    async createUser(username, backendRoles) {
      const creds = { username, password: strongPassword() };
      const res = await secure.request('PUT', `/_plugins/_security/api/internalusers/${username}`, {
        password: creds.password,
        backend_roles: backendRoles,
      });
      if (res.status !== 200 && res.status !== 201) {
        throw new ServiceError(
          SERVICE_ERROR.notHealthy,
          `creating user ${username} failed: HTTP ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
      return creds;
    },
  };
  return secure;
}
