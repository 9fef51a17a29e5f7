/** The demo tenant seeded on an embedded platform: small enough that the quota visibly binds. */
export const DEMO_TENANT = {
  slug: 'demo',
  name: 'Demo team',
  quota: { cpus: 2, gpus: 0, memoryMb: 2048, concurrentTrials: 3 },
  admin: 'demo-admin',
};

async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`demo seed: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data ?? {};
}

/** Creates the demo tenant through the gateway, as a platform admin, unless it exists. */
export async function seedDemoTenant(gatewayUrl: string, adminToken: string): Promise<'created' | 'exists'> {
  const existing = await gql(gatewayUrl, adminToken, 'query($s: String!) { tenant(slug: $s) { slug } }', { s: DEMO_TENANT.slug });
  if (existing.tenant) return 'exists';
  await gql(
    gatewayUrl,
    adminToken,
    'mutation($i: CreateTenantInput!) { createTenant(input: $i, reason: "demo tenant seeded by fairsweep up") { slug } }',
    { i: DEMO_TENANT },
  );
  return 'created';
}
