/**
 * Ferry's public entry: everything a bot or a recipe author imports. Bots and recipes
 * import `../../runner/index.ts` (or `../runner/index.ts`) and never reach into the
 * runner's folders, so the runner can rearrange its insides without touching them.
 */

/** Defining a bot (one legacy system) and a recipe (one cross-system transfer). */
export type { OpeningHours } from './guard/opening-hours.ts';
export { defineBot, type Bot, type BotBrowserOptions, type BotCanary, type BotContextOptions, type LoginContext, type LoginModel } from './define/bot.ts';
export type { RequestBlocking } from './browser/request-blocking.ts';
export { defineRecipe, type BotHandle, type Recipe, type RecipeSchedule, type StepContext } from './define/recipe.ts';
/** zod, for recipes and bots outside this repository that have no `node_modules` of their own. */
export { z } from 'zod';
/** A row a `list` step could not read: flagged as one REJECTED run instead of failing the sync. */
export { UnreadableRow } from './scheduler/unreadable-row.ts';
/** Asking a person from `read`: the questions a recipe declares, and choices nearest a code-list miss. */
export type { Ask, AskDetails, Choice, ConfirmRow, Question, Questions } from './ask/question.ts';
export { nearestChoices } from './ask/nearest.ts';
/** The errors a bot or recipe throws on purpose. */
export { BusinessError, LoginRefusedError, RecipeBugError, SessionExpiredError, type SessionExpiredOptions } from './errors.ts';
/** Dialogs a bot expects: announced before the click that raises them. */
export { expectDialog, type ExpectDialogOptions } from './browser/dialogs.ts';
/** A click in a popup that closes the popup (a picker writing back to its opener). */
export { clickClosingPopup } from './browser/closing-click.ts';
/** The input beside a caption cell, for forms whose captions are not labels (`<td>姓名：</td><td><input></td>`). */
export { fieldByCaption } from './browser/field-by-caption.ts';
/** Filling a form field by field as typing does (focus, input, change, blur), waiting for the requests each field's scripts start. */
export { fillFields, FieldRequestError, type FieldValue, type FillFieldsOptions } from './browser/fill-fields.ts';
/** Read-only screens over HTTP with the session's cookies, parsed as a browser would; the same extract function reads a frame. */
export { extractInFrame, readOverHttp, type HttpScreen, type ReadsOver } from './browser/screen-over-http.ts';
/** Reading images: the OCR a step receives, captchas, glyph splitting, preprocessing. */
export type { Ocr, OcrReadOptions } from './ocr/types.ts';
export { readCaptcha, type CaptchaOptions } from './ocr/captcha.ts';
export { splitGlyphs, type SplitGlyphsOptions } from './ocr/glyphs.ts';
export { preprocess, type PreprocessOptions } from './ocr/image.ts';
/** Validation and normalisation of Chinese records (ID numbers, mobiles, dates, gender, GBK). */
export * from './validate/index.ts';
