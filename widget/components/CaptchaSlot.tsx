import { useEffect, useRef } from 'preact/hooks';
import type { PublicForm } from '../../server/contract';
import type { WidgetState } from '../state';

type Props = { state: WidgetState; config: NonNullable<PublicForm['captcha']> };

/**
 * Where the captcha challenge shows in the form, through a named slot: the challenge itself is an
 * element of the page (see captcha.ts, a chunk of its own that loads only now).
 */
export function CaptchaSlot({ state, config }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const attached = import('../captcha').then(
      ({ attachCaptcha }) => box.current && attachCaptcha(box.current, state, config),
      () => {
        state.captcha.failed.value = true;
      },
    );
    // Gone before the challenge came: it goes as soon as it does.
    return () => void attached.then((detach) => detach?.());
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
