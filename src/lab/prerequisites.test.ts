import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkLabPrerequisites } from './prerequisites.js';

describe('checkLabPrerequisites', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses a non-root user with the exact remedy, before running anything', async () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    const check = checkLabPrerequisites();
    await expect(check).rejects.toMatchObject({ code: 'E_LAB_NOT_ROOT', place: 'lab/prerequisites' });
    await expect(check).rejects.toThrow(/sudo.*NET_ADMIN.*user namespaces/s);
  });
});
