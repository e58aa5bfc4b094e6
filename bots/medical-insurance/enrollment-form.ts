/**
 * 灵活就业人员参保登记 entry form. Saving asks `confirm('确认保存?')` and answers with
 * `alert('保存成功,业务流水号:…')`; the receipt is read from that alert.
 */
import type { Frame, Page } from 'playwright-core';
import { expectDialog } from '../../runner/browser/dialogs.ts';
import { BusinessError, SessionExpiredError } from '../../runner/errors.ts';
import { openInMain } from './main-frame.ts';
import type { Enrollment } from './schemas.ts';

const RECEIPT = /业务流水号[:：]\s*([A-Z]{2}\d+)/;

async function selectByLabel(form: Frame, name: string, label: string, fieldLabel: string): Promise<void> {
  // 2005 form: controls are known only by `name`, with no <label> elements.
  const select = form.locator(`select[name=${name}]`);
  const labels = await select.locator('option').allTextContents();
  if (!labels.includes(label)) throw new BusinessError(`${fieldLabel} "${label}" 不在医保系统代码表中 (not in the code list)`);
  await select.selectOption({ label });
}

export class EnrollmentForm {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** Enters the person and returns the 业务流水号. */
  async submit(enrollment: Enrollment): Promise<string> {
    const form = await openInMain(this.page, this.baseUrl, '/cbdj/flexible.jsp');
    // 2005 form: inputs are known only by `name`, with no <label> elements.
    await form.locator('input[name=xm]').fill(enrollment.name);
    await form.locator('input[name=sfzh]').fill(enrollment.idNumber);
    await form.locator('select[name=xb]').selectOption(enrollment.genderCode);
    await form.locator('input[name=csrq]').fill(enrollment.birthDate);
    await form.locator('input[name=lxdh]').fill(enrollment.phone);
    await form.locator('select[name=hjxz]').selectOption(enrollment.hukouCode);
    await form.locator('input[name=hjdz]').fill(enrollment.hukouAddress);
    await form.locator('input[name=jzdz]').fill(enrollment.currentAddress);
    await selectByLabel(form, 'jd', enrollment.streetName, '街道');
    await selectByLabel(form, 'cbxz', enrollment.insuranceKind, '参保险种');
    if (enrollment.permitNo) await form.locator('input[name=jzzh]').fill(enrollment.permitNo);
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
