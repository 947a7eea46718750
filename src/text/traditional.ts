import * as OpenCC from 'opencc-js';
import type { TextFn } from './normalize.ts';

/**
 * Traditional → Simplified Chinese (opencc-js, Taiwan and Hong Kong variants included), so that
 * "申請保障房要查工商登記信息嗎" matches the simplified corpus. Text without Traditional-only
 * characters is returned as is.
 */
export function createToSimplified(): TextFn {
  const tw = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const hk = OpenCC.Converter({ from: 'hk', to: 'cn' });
  return (text) => {
    if (!/[\u3400-\u9fff]/.test(text)) return text;
    return hk(tw(text));
  };
}
