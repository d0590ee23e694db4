import { describe, expect, it } from 'vitest';
import { updateFeedUrl } from '../../../electron/updater';

describe('updates stay off unless the office configures an HTTPS feed', () => {
  it('is off with nothing configured', () => {
    expect(updateFeedUrl({}, null)).toBeNull();
    expect(updateFeedUrl({ BVL_UPDATE_URL: '  ' }, null)).toBeNull();
  });

  it('takes the environment first, then update.json', () => {
    expect(updateFeedUrl({ BVL_UPDATE_URL: 'https://updates.office.example/bvl/' }, '{"url":"https://other.example/"}')).toBe(
      'https://updates.office.example/bvl/',
    );
    expect(updateFeedUrl({}, '{"url":"https://updates.office.example/bvl"}')).toBe('https://updates.office.example/bvl');
  });

  it('refuses a feed that is not HTTPS, carries credentials, or is not readable', () => {
    expect(updateFeedUrl({ BVL_UPDATE_URL: 'http://updates.office.example/' }, null)).toBeNull();
    expect(updateFeedUrl({ BVL_UPDATE_URL: 'https://u:p@updates.office.example/' }, null)).toBeNull();
    expect(updateFeedUrl({ BVL_UPDATE_URL: 'file:///srv/updates' }, null)).toBeNull();
    expect(updateFeedUrl({}, '{"url": 5}')).toBeNull();
    expect(updateFeedUrl({}, 'not json')).toBeNull();
  });
});
