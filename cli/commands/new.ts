/**
 * `ferry new bot <id> --url <log-in url>` and `ferry new recipe <id> --from <bot> --to <bot>`:
 * a skeleton that compiles and passes its own test, written into `bots/<id>/` or `recipes/`
 * (of this repository, or `--dir`). Ids are kebab-case; nothing is ever overwritten.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../runner/browser/chromium.ts';
import { config } from '../../runner/config.ts';
import { InputError } from '../../runner/errors.ts';
import { RECIPES_DIR } from '../../runner/define/registry.ts';
import { readLoginScreen } from '../authoring/login-screen.ts';
import { botFiles } from '../authoring/scaffold-bot.ts';
import { recipeFiles } from '../authoring/scaffold-recipe.ts';
import { note } from '../output.ts';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const REPOSITORY = join(RECIPES_DIR, '..');

/** `to` as an import path from `from`: relative, and never a bare specifier. */
function importPath(from: string, to: string): string {
  const path = relative(from, to) || '.';
  return path.startsWith('.') ? path : `./${path}`;
}

function kebab(id: string, what: string): string {
  if (!KEBAB.test(id)) throw new InputError(`A ${what} id is kebab-case (lower-case words joined by dashes, like "housing-fund"), not "${id}".`);
  return id;
}

/** Writes `files` into `dir`, refusing any that exists before writing one. */
function writeAll(dir: string, files: Record<string, string>): void {
  const taken = Object.keys(files).map((name) => join(dir, name)).filter((path) => existsSync(path));
  if (taken.length) throw new InputError(`${taken.join(', ')} exists; ferry new never overwrites a file.`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), content, { flag: 'wx' });
    note(`wrote ${join(dir, name)}`);
  }
}

/** Options of `ferry new bot`. */
interface NewBotOptions {
  url: string;
  title?: string;
  httpUser?: string;
  insecureTls?: boolean;
  dir: string;
}

/** Opens the log-in page; a certificate or an HTTP-auth challenge it cannot pass says which option is missing. */
async function openLoginPage(page: Page, url: string, http: boolean): Promise<void> {
  const refusedAuth = () => new InputError(http
    ? `${url} refused the HTTP-auth account given with --http-user (401): check it and FERRY_HTTP_PASSWORD.`
    : `${url} asks for HTTP authentication (401): add --http-user <name> with its password in FERRY_HTTP_PASSWORD.`);
  const response = await page.goto(url, { waitUntil: 'load' }).catch((error: Error) => {
    const certificate = /net::ERR_CERT_\w+/.exec(error.message)?.[0];
    if (certificate) {
      throw new InputError(`${url}: its certificate is not trusted (${certificate}). For an internal system whose certificate no public authority signed, add --insecure-tls; the bot will then accept it too.`);
    }
    // Headless Chromium ends an HTTP-auth challenge it cannot answer with this error, not a 401 page.
    throw error.message.includes('net::ERR_INVALID_AUTH_CREDENTIALS') ? refusedAuth() : error;
  });
  if (response?.status() === 401) throw refusedAuth();
}

export function registerNew(program: Command): void {
  const create = program.command('new').description('scaffold a bot or a recipe that compiles and passes its own test');
  create
    .command('bot <id>')
    .description('a bot whose log-in is read off the system\'s log-in page')
    .requiredOption('--url <url>', 'the system\'s log-in page')
    .option('--title <name>', 'the system\'s name (default: the log-in page\'s title)')
    .option('--http-user <name>', 'the system asks for HTTP auth first: this account, its password in FERRY_HTTP_PASSWORD')
    .option('--insecure-tls', 'accept a certificate no public authority signed (an internal system\'s); the bot then does too')
    .option('--dir <dir>', 'the folder that holds bots', join(REPOSITORY, 'bots'))
    .action(async (id: string, options: NewBotOptions) => {
      kebab(id, 'bot');
      if (!URL.canParse(options.url)) throw new InputError(`--url must be the log-in page's URL, like http://host/login.jsp, not "${options.url}".`);
      const folder = join(options.dir, id);
      if (existsSync(folder)) throw new InputError(`${folder} exists; ferry new never overwrites a bot.`);
      const http = options.httpUser !== undefined;
      if (http && !process.env.FERRY_HTTP_PASSWORD) throw new InputError('--http-user needs the account\'s password in FERRY_HTTP_PASSWORD (never on the command line, where ps shows it).');
      const browser = await launchChromium(config().chromiumPath);
      try {
        const context = await browser.newContext({
          locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ignoreHTTPSErrors: Boolean(options.insecureTls),
          httpCredentials: http ? { username: options.httpUser!, password: process.env.FERRY_HTTP_PASSWORD! } : undefined,
        });
        const page = await context.newPage();
        await openLoginPage(page, options.url, http);
        const login = await readLoginScreen(page, options.url);
        const title = options.title ?? (login.title || id);
        writeAll(folder, botFiles({ id, title, loginUrl: options.url, login, root: importPath(folder, REPOSITORY), http, insecureTls: Boolean(options.insecureTls) }));
      } finally {
        await browser.close();
      }
      note(`next: ferry secrets set ${id} --user <name>${http ? `; ferry secrets set ${id} --http --user ${options.httpUser}` : ''}; FERRY_URL_${id.toUpperCase().replaceAll('-', '_')}=<base url>; ferry inspect <path> --bot ${id}`);
    });
  create
    .command('recipe <id>')
    .description('a recipe from one bot to another, its steps to be written')
    .requiredOption('--from <bot>', 'the bot it reads from')
    .requiredOption('--to <bot>', 'the bot it enters into')
    .option('--dir <dir>', 'the folder that holds recipes', RECIPES_DIR)
    .option('--bots <dir>', 'the folder that holds the bots', join(REPOSITORY, 'bots'))
    .action((id: string, options: { from: string; to: string; dir: string; bots: string }) => {
      kebab(id, 'recipe');
      const bots = options.bots;
      for (const bot of [options.from, options.to]) {
        if (!existsSync(join(bots, kebab(bot, 'bot'), 'index.ts'))) throw new InputError(`No bot "${bot}" in ${bots}; scaffold it first with ferry new bot ${bot} --url <log-in url>.`);
      }
      writeAll(options.dir, recipeFiles({ id, from: options.from, to: options.to, root: importPath(options.dir, REPOSITORY), bots: importPath(options.dir, bots) }));
    });
}
