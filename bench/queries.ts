import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/**
 * Benchmark questions: the evaluation sample when it is beside the repository (else our own
 * questions), plus variations of each as people type them (polite prefix, question tail,
 * the first half only).
 */
export function benchQuestions(): string[] {
  const candidates = [join(ROOT, '..', 'shared', 'eval', 'questions.sample.jsonl'), join(ROOT, 'test', 'fixtures', 'questions', 'extra.jsonl')];
  const file = candidates.find((f) => existsSync(f))!;
  const base = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { q: string }).q);
  const out: string[] = [];
  for (const q of base) {
    out.push(q, `请问${q}`, `${q.replace(/[？?吗]+$/, '')}吗？`, q.slice(0, Math.max(4, Math.ceil(q.length / 2))));
  }
  return out;
}
