/** `npm start`: the backend on Node (with the built-in Deskie simulator unless DESKIE_URL is set). */
import { ConfigError } from '../config/schema';
import { startNodeServer } from './node-backend';

try {
  const running = await startNodeServer(process.env);
  console.log(`deskie-form on ${running.url}`);
  if (running.demo) {
    console.log(`  Demo page:        ${running.url}/  (file a request, then look it up)`);
    console.log(`  Agent console:    ${running.url}/_deskie/console  (answer it as support would)`);
    console.log(
      `  Deskie simulator: ${running.url}/_deskie/api/  (no account needed; demo@example.com / demo-key)`,
    );
  } else {
    console.log('  Using your Deskie account (DESKIE_URL).');
  }
  console.log(`  API:              ${running.url}/openapi.json   Health: ${running.url}/readyz`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => void running.close().then(() => process.exit(0)));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
