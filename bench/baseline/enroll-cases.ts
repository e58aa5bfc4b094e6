/**
 * The hand-written baseline of `ferry bench throughput`: what an integrator would write
 * without Ferry. One Chromium; C workers, each a browser context with one tab on the
 * acceptance platform and one on the medical-insurance frameset, logged in once. Each
 * worker takes the next case and: reads it from the source (over HTTP with Ferry's
 * `readOverHttp`, as the bot does), maps the fields, opens the target form, fills it (with
 * Ferry's `fillFields`, as the bot does), saves,
 * accepts the confirm, reads the receipt alert.
 * No ledger, no find, no verify, no evidence, no logging: the plain cost of the work.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { logInToAcceptance, logInToMedicalInsurance } from './log-in.ts';
import type { Ocr } from '../../runner/ocr/types.ts';
import { fillFields } from '../../runner/browser/fill-fields.ts';
import { readOverHttp } from '../../runner/browser/screen-over-http.ts';

/** Where the two systems are, and the logins to use. */
export interface BaselineTargets {
  acceptanceUrl: string;
  medicalInsuranceUrl: string;
  acceptanceLogin: { username: string; password: string };
  medicalInsuranceLogin: { username: string; password: string };
}

/** The target form's fields, already in the medical-insurance system's codes. */
interface FormValues {
  xm: string; sfzh: string; xb: string; csrq: string; lxdh: string; hjxz: string; hjdz: string; jzdz: string;
  jd: string; cbxz: string;
}

const CITY = '江城市';
const STREET = /区([^区市]+?街道)/;

/** The source's labels and the target's codes, as a clerk would map them by hand. */
function mapCase(fields: Record<string, string>): FormValues {
  return {
    xm: fields['姓名'],
    sfzh: fields['公民身份号码'],
    xb: fields['性别'] === '男' ? '1' : '2',
    csrq: fields['出生日期'].replaceAll('-', ''),
    lxdh: fields['手机号'],
    hjxz: fields['户籍地址'].startsWith(CITY) ? '1' : '2',
    hjdz: fields['户籍地址'],
    jzdz: fields['现居住地址'],
    jd: STREET.exec(fields['现居住地址'])?.[1] ?? '',
    cbxz: '职工基本医疗保险',
  };
}

async function openWorker(browser: Browser, targets: BaselineTargets, ocr: Ocr) {
  const context: BrowserContext = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const source = await context.newPage();
  const target = await context.newPage();
  await logInToAcceptance(source, targets.acceptanceUrl, targets.acceptanceLogin);
  await logInToMedicalInsurance(target, targets.medicalInsuranceUrl, targets.medicalInsuranceLogin, ocr);
  let alertText: (text: string) => void = () => {};
  target.on('dialog', (dialog) => {
    if (dialog.type() === 'alert') alertText(dialog.message());
    void dialog.accept();
  });

  return async function enroll(caseNo: string): Promise<string> {
    // Ferry's HTTP read, as the bot uses it: the detail screen needs no script, so it is not rendered.
    const { document } = await readOverHttp(source, `${targets.acceptanceUrl}/cases/${caseNo}`);
    const fields = Object.fromEntries([...document.querySelectorAll('table#applicant tr')].map((row) =>
      [row.querySelector('th')!.textContent!.trim(), row.querySelector('td')!.textContent!.trim()]));
    const values = mapCase(fields);

    const form = target.frame({ name: 'main' })!;
    await form.goto(`${targets.medicalInsuranceUrl}/cbdj/flexible.jsp`);
    // Ferry's fill helper, as the bot uses it: the ID number's blur fetches the hidden 个人编号 the save needs.
    const missing = await fillFields(form, { ...values, jd: { label: values.jd }, cbxz: { label: values.cbxz } }, { form: 'mainForm' });
    if (missing) throw new Error(`case ${caseNo}: the ${missing} list lacks the wanted option`);
    const alerted = new Promise<string>((resolve) => { alertText = resolve; });
    await form.locator('input[name=btnSave]').click();
    const message = await alerted;
    const receipt = /业务流水号[:：](\w+)/.exec(message)?.[1];
    if (!receipt) throw new Error(`case ${caseNo} was not saved: ${message}`);
    await form.waitForURL(/\/cbdj\/flexible\.jsp$/);
    return receipt;
  };
}

/** Enters every case with `concurrency` workers; returns the receipts by case number. */
export async function enrollCases(
  browser: Browser, targets: BaselineTargets, caseNos: string[], concurrency: number, ocr: Ocr, onEntered: (done: number) => void = () => {},
): Promise<Map<string, string>> {
  const workers = await Promise.all(Array.from({ length: concurrency }, () => openWorker(browser, targets, ocr)));
  const receipts = new Map<string, string>();
  let next = 0;
  await Promise.all(workers.map(async (enroll) => {
    while (next < caseNos.length) {
      const caseNo = caseNos[next++];
      receipts.set(caseNo, await enroll(caseNo));
      onEntered(receipts.size);
    }
  }));
  return receipts;
}
