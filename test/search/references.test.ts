import { describe, expect, it } from 'vitest';
import { isArticleTitle } from '../../src/search/references.ts';

describe('an article whose first line is only its title', () => {
  it('is told from an article that starts with its rule, so 第一款 is the first paragraph of content', () => {
    expect(isArticleTitle('第八条申请与审批', '第八条')).toBe(true);
    expect(isArticleTitle('第八条 申请与审批', '第八条')).toBe(true);
    expect(isArticleTitle('第四条城市居民最低生活保障制度实行地方各级人民政府负责制。', '第四条')).toBe(false);
    expect(isArticleTitle('第八条', '第八条')).toBe(false);
  });
});
