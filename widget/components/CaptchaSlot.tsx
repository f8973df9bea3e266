import { useEffect, useRef } from 'preact/hooks';
import type { PublicForm } from '../../server/contract';
import { attachCaptcha } from '../captcha';
import type { WidgetState } from '../state';

type Props = { state: WidgetState; config: NonNullable<PublicForm['captcha']> };

/**
 * Where the captcha challenge shows in the form, through a named slot: the challenge itself is an
 * element of the page (captcha.ts, the chunk this comes in, fetched with the form's definition).
 */
export function CaptchaSlot({ state, config }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const detach = box.current && attachCaptcha(box.current, state, config);
    return () => detach?.();
  }, [state, config]);
  return (
    <div class="df-captcha" ref={box}>
      <slot name="df-captcha" />
      {state.captcha.failed.value && (
        <p class="df-error" role="alert">
          {state.t.value('captchaLoadFailed')}
        </p>
      )}
    </div>
  );
}
