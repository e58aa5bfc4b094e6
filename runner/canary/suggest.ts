/**
 * The likely replacement of a locator that stopped resolving: the control on the screen now
 * that shares most with what the locator found when it last passed (its caption, `name`, `id`,
 * visible text, kind), or, with no such record, with the strings in the locator itself. A
 * suggestion only: Ferry never writes through a guessed locator.
 */
import type { ScannedControl } from '../screen/page-scan.ts';
import type { FramePath } from '../screen/locator-plans.ts';
import type { PlannedControl, ScreenFrame } from '../screen/read-screen.ts';

/** What a locator resolved to when its check last passed. */
export interface Fingerprint {
  kind: ScannedControl['kind'];
  name: string;
  id: string;
  caption: string;
  text: string;
  frame: FramePath;
}

/** A control of the screen that may be the one a locator meant. */
export interface Candidate {
  planned: PlannedControl;
  frame: ScreenFrame;
  score: number;
  /** What it shares with the locator's last match (or the locator's text), for ops to judge. */
  because: SharedTrait[];
}

/** One thing a candidate shares with what the locator last matched: its caption, `name`, `id`, text or kind. */
export interface SharedTrait {
  trait: 'caption' | 'name' | 'id' | 'text' | 'kind';
  value: string;
}

/** A shared trait in English, for the command line and logs: `caption 「身份证号」`, `name "sfzh"`. */
export function describeTrait({ trait, value }: SharedTrait): string {
  if (trait === 'kind') return `kind ${value}`;
  return trait === 'name' || trait === 'id' ? `${trait} "${value}"` : `${trait} 「${value}」`;
}

const bare = (text: string) => text.replace(/[\s\u3000\u00a0]/g, '').replace(/[:：]$/, '');

/** A fingerprint of a scanned control in a frame. */
export function fingerprintOf(control: ScannedControl, frame: FramePath): Fingerprint {
  return { kind: control.kind, name: control.name, id: control.id, caption: control.caption.text, text: control.text, frame };
}

/** The quoted strings and attribute values in a locator's description: `locator('[name="sfzh"]')` → `sfzh`. */
export function hintsOf(description: string): string[] {
  const quoted = [...description.matchAll(/(['"])((?:\\.|(?!\1).)+?)\1/g)].map((match) => bare(match[2]));
  const attributes = quoted.flatMap((text) => [...text.matchAll(/\[(?:name|id)=\\?["']?([\w-]+)/g)].map((match) => match[1]));
  return [...new Set([...quoted, ...attributes].filter((hint) => hint.length > 0 && hint.length <= 40))];
}

function scoreAgainstFingerprint(control: ScannedControl, last: Fingerprint): { score: number; because: SharedTrait[] } {
  const because: SharedTrait[] = [];
  let score = 0;
  if (last.caption && bare(control.caption.text) === bare(last.caption)) { score += 3; because.push({ trait: 'caption', value: last.caption }); }
  if (last.name && control.name === last.name) { score += 3; because.push({ trait: 'name', value: last.name }); }
  if (last.id && control.id === last.id) { score += 3; because.push({ trait: 'id', value: last.id }); }
  if (last.text && bare(control.text) === bare(last.text)) { score += 3; because.push({ trait: 'text', value: last.text }); }
  if (score > 0 && control.kind === last.kind) { score += 1; because.push({ trait: 'kind', value: last.kind }); }
  return { score, because };
}

function scoreAgainstHints(control: ScannedControl, hints: string[]): { score: number; because: SharedTrait[] } {
  const because: SharedTrait[] = [];
  let score = 0;
  for (const [trait, value] of [['caption', bare(control.caption.text)], ['name', control.name], ['id', control.id], ['text', bare(control.text)]] as const) {
    if (value && hints.includes(value)) { score += 3; because.push({ trait, value }); }
  }
  return { score, because };
}

/**
 * Up to three controls that may be what the locator meant, best first, leaving out those another
 * locator of the screen already resolves to (`taken`, by `frameIndex:controlIndex`).
 */
export function likelyReplacements(frames: ScreenFrame[], taken: Set<string>, last: Fingerprint | undefined, description: string): Candidate[] {
  const hints = hintsOf(description);
  const candidates: Candidate[] = [];
  frames.forEach((frame, frameIndex) => {
    for (const planned of frame.controls) {
      if (taken.has(`${frameIndex}:${planned.control.index}`)) continue;
      const { score, because } = last ? scoreAgainstFingerprint(planned.control, last) : scoreAgainstHints(planned.control, hints);
      if (score >= 3) candidates.push({ planned, frame, score, because });
    }
  });
  return candidates.sort((a, b) => b.score - a.score).slice(0, 3);
}
