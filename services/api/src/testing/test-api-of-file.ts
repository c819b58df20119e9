import { startTestApi, type TestApi } from './test-api';

/**
 * The test API shared by the tests of one file: started before the first, closed after the last. Call it in the
 * file's describe; the object it returns is usable in the hooks declared after it and in the tests.
 */
export function testApiOfFile(options?: Parameters<typeof startTestApi>[0]): TestApi {
  let started: TestApi | undefined;
  beforeAll(async () => {
    started = await startTestApi(options);
  });
  afterAll(() => started?.close());
  return new Proxy({} as TestApi, {
    get(_nothing, key) {
      if (!started) throw new Error('The test API starts in beforeAll: use it inside a hook or a test');
      return Reflect.get(started, key);
    },
  });
}
