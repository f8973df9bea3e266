/** Every English word of the widget: the form's own table and each chunk's, as a visitor meets them all. */
import type { Strings } from '../../widget/strings';
import { en } from '../../widget/strings/en';
import { enAdaptive } from '../../widget/strings/en-adaptive';
import { enCaptcha } from '../../widget/strings/en-captcha';
import { enDone } from '../../widget/strings/en-done';
import { enFiles } from '../../widget/strings/en-files';
import { enLookup } from '../../widget/strings/en-lookup';

export const english: Strings = { ...en, ...enLookup, ...enFiles, ...enAdaptive, ...enCaptcha, ...enDone };
