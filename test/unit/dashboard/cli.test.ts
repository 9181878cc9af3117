import { main } from '../../../src/cli/main.ts';
import { UsageError } from '../../../src/cli/usage.ts';

// `release dashboard`'s own mistakes, caught before anything listens.

describe('release dashboard', () => {
  it('takes a port from 0 to 65535 and no arguments', async () => {
    await expect(main(['dashboard', '--port', 'abc'])).rejects.toThrow(UsageError);
    await expect(main(['dashboard', '--port', '70000'])).rejects.toThrow('--port must be at most 65535');
    await expect(main(['dashboard', 'extra'])).rejects.toThrow('dashboard takes no arguments');
  });

  it('says it cannot read the releases when nothing answers at the endpoint, before listening', async () => {
    await expect(main(['dashboard', '--endpoint-url', 'http://127.0.0.1:1', '--port', '0'])).rejects.toThrow(
      /cannot read the releases at endpoint http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
  });
});
