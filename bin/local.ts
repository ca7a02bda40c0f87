export {};
// `npm start`: the local platform on http://localhost:3000 (PORT to change it), bound to 127.0.0.1
// (HOST to change it: anyone who reaches it can mint tokens, so another address prints a warning).
// MOZAIKS_MANAGED=false runs the mock connectors and needs no Java. DynamoDB Local is restarted on
// the same data when it dies (3 times a minute at most); after that the process exits.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const { JavaMissingError } = await import('./local/dynamodb-local.ts');
const { startLocalPlatform, DEMO_TENANT } = await import('./local/platform.ts');
const { parseCorsOrigins } = await import('./local/cors.ts');

/** MOZAIKS_SIGN_IN and MOZAIKS_CORS_ORIGINS; a bad value ends the start with one line naming it. */
function localSettings(): { signIn: 'dev' | 'oidc'; corsOrigins: string[] } {
  try {
    const signIn = process.env.MOZAIKS_SIGN_IN || 'dev';
    if (signIn !== 'dev' && signIn !== 'oidc') throw new Error(`MOZAIKS_SIGN_IN must be "dev" or "oidc", not "${signIn}"`);
    return { signIn, corsOrigins: parseCorsOrigins(process.env.MOZAIKS_CORS_ORIGINS) };
  } catch (error) {
    console.error(`mozaiks: ${(error as Error).message}`);
    process.exit(1);
  }
}

const managed = process.env.MOZAIKS_MANAGED !== 'false';
try {
  const platform = await startLocalPlatform({
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST || '127.0.0.1',
    managed,
    dataDir: process.env.MOZAIKS_DATA_DIR,
    // Set by `npm run dev`, which keeps one DynamoDB Local (and its data) across reloads of this process.
    dynamoDbEndpoint: process.env.MOZAIKS_DYNAMODB_ENDPOINT || undefined,
    webDir: process.env.MOZAIKS_WEB_DIR || undefined,
    ...localSettings(),
    // Nothing works without it: exit (the exit hook kills any JVM left) rather than answer 500s.
    onDynamoDbLost: () => {
      console.error('mozaiks: DynamoDB Local is down for good; exiting. What it had written is still on disk: run `npm start` again.');
      process.exit(1);
    },
  });
  const { url } = platform;
  console.log(`mozaiks local platform (${managed ? 'managed: DynamoDB Local + real service handlers' : 'mock connectors, in memory'})
  API        ${url}/api/execute/{plugin}   (GET ${url}/api/health, ${url}/api/plugins)
  Plugins    ${url}/   (sign-in: ${process.env.MOZAIKS_SIGN_IN === 'oidc' ? `OIDC, authorization code + PKCE against ${url}/.well-known/openid-configuration` : 'the dev form'})
  Tokens     POST ${url}/dev/token  {"sub":"u1","tenantId":"app-1","roles":["admin"]}
  JWKS       ${url}/.well-known/jwks.json
  Dev DNS    POST ${url}/dev/dns    {"name":"_mozaiks-challenge.example.com","values":["mozaiks-verify=..."]}
  Payments   ${url}/dev/checkout    (the local provider's confirmation page; create_checkout links to it)
  Usage      POST ${url}/dev/usage  {"tenantId":"app-1","amount":9999}   (try the monthly quota)
  Ready token (tenant "${DEMO_TENANT}": owner, business plan; 1 h):
${platform.demoToken}
listening on ${url}`);
  const shutdown = () => void platform.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof JavaMissingError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
