/**
 * PersonPicker.aspx, the window that 选择… opens with `window.open`: it finds a person
 * by 身份证号, and its 选择 link writes them into the opener, posts the opener back
 * and closes itself.
 */
import type { Locator, Page } from 'playwright-core';
import { postBack, settled } from './webform-navigation.ts';
import { clickClosingPopup } from '../../runner/index.ts';

const NOBODY = '未找到该人员';

/** The picker window, from its opening to its closing. */
export class PersonPicker {
  private readonly chooseLink: Locator;

  constructor(private readonly popup: Page) {
    this.chooseLink = popup.getByRole('link', { name: '选择', exact: true });
  }

  /** Searches for `idNumber`; true when the picker found the person. */
  async find(idNumber: string): Promise<boolean> {
    await settled(this.popup.mainFrame());
    await this.popup.getByLabel('身份证号').fill(idNumber);
    await postBack(this.popup.mainFrame(), () => this.popup.getByRole('button', { name: '查找' }).click());
    if ((await this.chooseLink.count()) > 0) return true;
    if ((await this.popup.getByText(NOBODY, { exact: true }).count()) > 0) return false;
    throw new Error(`the person picker showed neither a person nor "${NOBODY}"`);
  }

  /** Chooses the person found; resolves once the picker window has closed. */
  async choose(): Promise<void> {
    // The link's onclick closes the window.
    await clickClosingPopup(this.popup, this.chooseLink);
  }

  /** Closes the picker if it is still open. */
  async close(): Promise<void> {
    if (!this.popup.isClosed()) await this.popup.close();
  }
}
