/**
 * 灵活就业人员参保登记 entry form. Saving asks `confirm('确认保存?')` and answers with
 * `alert('保存成功,业务流水号:…')`; the receipt is read from that alert.
 */
import type { Frame, Page } from 'playwright-core';
import { BusinessError, expectDialog, fillFields, SessionExpiredError, type BotCanary } from '../../runner/index.ts';
import { openInMain } from './main-frame.ts';
import { forgetStreetNames } from './street-code-list.ts';
import type { Enrollment } from './schemas.ts';

const RECEIPT = /业务流水号[:：]\s*([A-Z]{2}\d+)/;

const CODE_LISTS: Record<string, string> = { jd: '街道', cbxz: '参保险种' };

/** The form's fields by `name`, the only hook the 2005 form has; `fillFields` writes through them. */
const FIELD_NAMES = ['xm', 'sfzh', 'xb', 'csrq', 'lxdh', 'hjxz', 'hjdz', 'jzdz', 'jd', 'cbxz', 'jzzh'] as const;

/** The form's fields and its save button, as the canary checks them. */
export const enrollmentFormCanary: BotCanary = {
  screen: '灵活就业人员参保登记',
  open: (page, baseUrl) => openInMain(page, baseUrl, '/cbdj/flexible.jsp'),
  locators: (page) => {
    const form = page.frameLocator('frame[name="main"]').locator('form[name="mainForm"]');
    return {
      ...Object.fromEntries(FIELD_NAMES.map((name) => [name, form.locator(`[name="${name}"]`)])),
      btnSave: form.locator('input[name=btnSave]'),
    };
  },
};

export class EnrollmentForm {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** Enters the person and returns the 业务流水号. */
  async submit(enrollment: Enrollment): Promise<string> {
    const form = await openInMain(this.page, this.baseUrl, '/cbdj/flexible.jsp');
    // The ID number's onblur asks the server for the hidden 个人编号, which the save requires.
    const missing = await fillFields(form, {
      xm: enrollment.name, sfzh: enrollment.idNumber, xb: enrollment.genderCode, csrq: enrollment.birthDate,
      lxdh: enrollment.phone, hjxz: enrollment.hukouCode, hjdz: enrollment.hukouAddress, jzdz: enrollment.currentAddress,
      jd: { label: enrollment.streetName }, cbxz: { label: enrollment.insuranceKind },
      ...(enrollment.permitNo ? { jzzh: enrollment.permitNo } : {}),
    }, { form: 'mainForm' });
    if (missing && !(missing in CODE_LISTS)) throw new Error(`the form's ${missing} list lacks the code given; the schema should allow only the codes it lists`);
    if (missing) {
      // The street was in the code list `read` checked against; the next record reads the list again.
      if (missing === 'jd') forgetStreetNames(this.baseUrl);
      const label = missing === 'jd' ? enrollment.streetName : enrollment.insuranceKind;
      throw new BusinessError(`${CODE_LISTS[missing]} "${label}" 不在医保系统代码表中 (not in the code list)`);
    }
    return this.save(form);
  }

  private async save(form: Frame): Promise<string> {
    const confirmed = expectDialog(this.page, 'confirm');
    const alerted = expectDialog(this.page, 'alert');
    const answered = this.page.waitForResponse((response) => response.url().endsWith('/cbdj/flexible.do'));
    answered.catch(() => {});
    await form.locator('input[name=btnSave]').click();
    const first = await Promise.race([answered.then((response) => ({ response })), alerted.then((message) => ({ message }))]);
    if ('message' in first) throw new BusinessError(`医保系统拒绝保存: ${first.message} (the form refused the entry)`);
    await confirmed;
    if (first.response.status() >= 500) throw new Error(`medical-insurance answered ${first.response.status()} after save; the entry may have been stored`);
    const message = await Promise.race([alerted, this.page.waitForURL(/\/login\.jsp/, { timeout: 15_000 }).then(() => null)]);
    if (message === null) throw new SessionExpiredError('the save bounced to the login page');
    const receipt = RECEIPT.exec(message)?.[1];
    if (receipt) {
      // The success page sends the frame back to the empty form; let it land before the next screen.
      await form.waitForURL(/\/cbdj\/flexible\.jsp$/, { waitUntil: 'domcontentloaded' });
      return receipt;
    }
    if (message.startsWith('保存失败')) throw new BusinessError(`医保系统拒绝保存: ${message} (the system refused the entry)`);
    throw new Error(`unexpected answer after save: ${message}`);
  }
}
