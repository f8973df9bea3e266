import { Component } from 'preact';
import type { PublicForm } from '../../server/contract';
import type { WidgetState } from '../state';

type Props = { state: WidgetState; config: NonNullable<PublicForm['captcha']> };

/**
 * Where the captcha challenge shows in the form. The challenge itself is an element of the page
 * (see captcha.ts), put inside the widget's host and shown here through a named slot; outside a
 * shadow root (tests, a page without one) it simply goes in here. Its code loads only now.
 */
export class CaptchaSlot extends Component<Props> {
  box?: HTMLElement | null;
  gone = false;

  override componentDidMount() {
    const { state, config } = this.props;
    const box = this.box;
    if (!box) return;
    const root = box.getRootNode();
    const element = document.createElement('div');
    if (root instanceof ShadowRoot) {
      element.slot = 'df-captcha';
      // It lives in the page's DOM, where the page's CSS reaches it: keep it shown whatever that says.
      element.style.setProperty('display', 'block', 'important');
      root.host.append(element);
    } else box.append(element);
    import('../captcha')
      .then(({ mountCaptcha }) =>
        mountCaptcha({
          config,
          element,
          locale: state.form.value?.locale ?? state.t.value.locale,
          theme: root instanceof ShadowRoot ? root.host.getAttribute('data-theme') : null,
          nonce: state.nonce,
          onToken: (token) => {
            state.captcha.token.value = token;
          },
        }),
      )
      .then((challenge) => {
        if (this.gone) challenge.remove();
        else state.captcha.challenge = challenge;
      })
      .catch(() => {
        element.remove();
        state.captcha.failed.value = true;
      });
  }

  override componentWillUnmount() {
    this.gone = true;
    this.props.state.captcha.challenge?.remove();
    this.props.state.captcha.challenge = undefined;
    this.props.state.captcha.token.value = '';
  }

  render({ state }: Props) {
    return (
      <div
        class="df-captcha"
        ref={(el) => {
          this.box = el;
        }}
      >
        <slot name="df-captcha" />
        {state.captcha.failed.value && (
          <p class="df-error" role="alert">
            {state.t.value('captchaLoadFailed')}
          </p>
        )}
      </div>
    );
  }
}
