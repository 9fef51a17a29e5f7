import { readFileSync } from 'node:fs';

/** Where log lines go. Any object with these three methods works (console, service-kit's logger). */
export interface GatewayLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface SubgraphEndpoint {
  name: string;
  /** GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql; the same path serves graphql-ws. */
  url: string;
}

export interface GatewayJwtConfig {
  /** RS256 public key (SPKI PEM) the tokens are verified with. */
  publicKeyPem?: string;
  /** JWKS endpoint serving the token signing keys (used when no PEM is given). */
  jwksUri?: string;
  issuer?: string;
  audience?: string;
}

export interface GatewayConfig {
  host: string;
  /** 0 picks a free port; the real one is reported by `RunningGateway.port`. */
  port: number;
  subgraphs: SubgraphEndpoint[];
  /** HMAC secret shared with the subgraphs (>= 32 characters). */
  upstreamSecret: string;
  jwt: GatewayJwtConfig;
  /** How long start-up waits for subgraphs that are still starting (default 60000 ms). */
  compositionTimeoutMs?: number;
  logger?: GatewayLogger;
}

export class GatewayConfigError extends Error {
  constructor(message: string) {
    super(`gateway config: ${message}`);
    this.name = 'GatewayConfigError';
  }
}

/** Checks a config (from code or from the environment); throws GatewayConfigError naming the field. */
export function validateGatewayConfig(config: GatewayConfig): void {
  if (!config.host) throw new GatewayConfigError('host is required');
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new GatewayConfigError(`port must be an integer between 0 and 65535 (got ${String(config.port)})`);
  }
  validateSubgraphs(config.subgraphs, 'subgraphs');
  if (typeof config.upstreamSecret !== 'string' || config.upstreamSecret.length < 32) {
    throw new GatewayConfigError('upstreamSecret must be at least 32 characters');
  }
  if (!config.jwt?.publicKeyPem && !config.jwt?.jwksUri) {
    throw new GatewayConfigError('jwt.publicKeyPem or jwt.jwksUri is required');
  }
  if (config.jwt.publicKeyPem && !config.jwt.publicKeyPem.includes('BEGIN PUBLIC KEY')) {
    throw new GatewayConfigError('jwt.publicKeyPem must be a PEM "PUBLIC KEY" block');
  }
}

function validateSubgraphs(subgraphs: SubgraphEndpoint[] | undefined, where: string): void {
  if (!subgraphs?.length) throw new GatewayConfigError(`${where}: at least one subgraph is required`);
  const seen = new Set<string>();
  for (const s of subgraphs) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s.name ?? '')) throw new GatewayConfigError(`${where}: invalid subgraph name "${s.name}"`);
    if (seen.has(s.name)) throw new GatewayConfigError(`${where}: subgraph "${s.name}" is listed twice`);
    seen.add(s.name);
    let url: URL | undefined;
    try {
      url = new URL(s.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new GatewayConfigError(`${where}: subgraph "${s.name}" needs an http(s) url (got "${s.url}")`);
    }
  }
}

/** Parses `tenancy=http://..,experiments=http://..` (FAIRSWEEP_SUBGRAPHS). */
export function parseSubgraphList(value: string, variable = 'FAIRSWEEP_SUBGRAPHS'): SubgraphEndpoint[] {
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw new GatewayConfigError(`${variable} lists no subgraphs (expected "name=url,name=url")`);
  const list = entries.map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) {
      throw new GatewayConfigError(`${variable} entry "${entry}" is not "name=url"`);
    }
    return { name: entry.slice(0, eq).trim(), url: entry.slice(eq + 1).trim() };
  });
  validateSubgraphs(list, variable);
  return list;
}

/**
 * Reads the gateway config from environment variables:
 * HOST, PORT, FAIRSWEEP_SUBGRAPHS, FAIRSWEEP_UPSTREAM_SECRET, JWT_PUBLIC_KEY | JWT_PUBLIC_KEY_FILE |
 * JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, FAIRSWEEP_COMPOSITION_TIMEOUT_MS.
 */
export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) throw new GatewayConfigError(`environment variable ${name} is required`);
    return v;
  };
  const port = Number(env.PORT ?? '4000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new GatewayConfigError(`PORT must be an integer between 0 and 65535 (got "${env.PORT}")`);
  }
  const secret = required('FAIRSWEEP_UPSTREAM_SECRET');
  if (secret.length < 32) throw new GatewayConfigError('FAIRSWEEP_UPSTREAM_SECRET must be at least 32 characters');
  const jwt = {
    publicKeyPem: readPublicKey(env),
    jwksUri: env.JWT_JWKS_URL?.trim() || undefined,
    issuer: env.JWT_ISSUER?.trim() || undefined,
    audience: env.JWT_AUDIENCE?.trim() || undefined,
  };
  if (!jwt.publicKeyPem && !jwt.jwksUri) {
    throw new GatewayConfigError('one of JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL is required');
  }
  if (jwt.publicKeyPem && !jwt.publicKeyPem.includes('BEGIN PUBLIC KEY')) {
    throw new GatewayConfigError('JWT_PUBLIC_KEY / JWT_PUBLIC_KEY_FILE must hold a PEM "PUBLIC KEY" block');
  }
  if (jwt.jwksUri && !/^https?:\/\//.test(jwt.jwksUri)) {
    throw new GatewayConfigError(`JWT_JWKS_URL must be an http(s) url (got "${jwt.jwksUri}")`);
  }
  const timeout = env.FAIRSWEEP_COMPOSITION_TIMEOUT_MS;
  if (timeout !== undefined && !(Number(timeout) > 0)) {
    throw new GatewayConfigError(`FAIRSWEEP_COMPOSITION_TIMEOUT_MS must be a positive number (got "${timeout}")`);
  }
  const config: GatewayConfig = {
    host: env.HOST?.trim() || '0.0.0.0',
    port,
    subgraphs: parseSubgraphList(required('FAIRSWEEP_SUBGRAPHS')),
    upstreamSecret: secret,
    jwt,
    ...(timeout !== undefined ? { compositionTimeoutMs: Number(timeout) } : {}),
  };
  validateGatewayConfig(config);
  return config;
}

function readPublicKey(env: NodeJS.ProcessEnv): string | undefined {
  const inline = env.JWT_PUBLIC_KEY?.trim();
  // Single-line env files often carry the PEM with literal "\n".
  if (inline) return inline.includes('\\n') ? inline.replace(/\\n/g, '\n') : inline;
  const file = env.JWT_PUBLIC_KEY_FILE?.trim();
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new GatewayConfigError(`JWT_PUBLIC_KEY_FILE "${file}" cannot be read: ${(err as Error).message}`);
  }
}
