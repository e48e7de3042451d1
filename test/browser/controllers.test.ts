/**
 * The controllers with DOM work of their own (locale, announcer, progressive rendering, roving
 * focus, session load), each on a small test host or on the element, and the two bugs the
 * redesign fixed: the source view is controlled, and an ancestor's `lang` is watched.
 */
import { expect, fixture, html as fixtureHtml } from '@open-wc/testing';
import { LitElement, html, type TemplateResult } from 'lit';
import { cards, leave, mount, mountLoaded, newUser, setScenario, settle, shadow, until } from './helpers.ts';
import { spyOnFetch } from './fetch-spy.ts';
import { LocaleController } from '../../src/controllers/locale.ts';
import { AnnouncerController } from '../../src/controllers/announcer.ts';
import { ProgressiveRenderController, FIRST_CARDS, MAX_CARDS, MORE_CARDS } from '../../src/controllers/progressive.ts';
import { RovingFocusController } from '../../src/controllers/roving-focus.ts';
import type { EntityView } from '../../src/core/model.ts';
import type { ReviewStatus } from '../../src/core/review.ts';

/** A host that renders whatever `view` returns, for trying one controller at a time. */
class TestHost extends LitElement {
  view: (host: TestHost) => TemplateResult = () => html``;
  renders = 0;
  protected override render(): TemplateResult {
    this.renders += 1;
    return this.view(this);
  }
}
customElements.define('test-controller-host', TestHost);

async function host(parent?: Element): Promise<TestHost> {
  const el = document.createElement('test-controller-host') as TestHost;
  (parent ?? (await fixture<HTMLDivElement>(fixtureHtml`<div></div>`))).append(el);
  return el;
}

describe('bugs fixed by the redesign', () => {
  it('after the Transcript tab, selecting a code whose evidence is only in the note shows the note with that evidence focused', async () => {
    const realFetch = window.fetch.bind(window);
    // Heidi's codes with the transcript references dropped: every code's evidence is in the note only.
    const spy = spyOnFetch((request) =>
      request.url.endsWith('/clinical-codes')
        ? realFetch(request).then(async (response) => {
            const body = (await response.json()) as { clinical_entities: { reference_in_transcript?: unknown[] }[] };
            for (const entity of body.clinical_entities) entity.reference_in_transcript = [];
            return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
          })
        : undefined,
    );
    try {
      const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
      const source = shadow(el).querySelector('heidi-source-view')!;
      const tab = (name: string) => [...shadow(source).querySelectorAll('button')].find((b) => b.textContent!.includes(name))!;
      tab('Transcript').click();
      await settle(el);
      expect(tab('Transcript').getAttribute('aria-pressed')).to.equal('true');
      const first = cards(el)[0]!;
      shadow(first).querySelector<HTMLButtonElement>('button.pick')!.click();
      await settle(el);
      expect(tab('Note').getAttribute('aria-pressed')).to.equal('true');
      expect(shadow(source).querySelector('mark.focus'), "the code's note evidence is focused").to.exist;
      await expect(el).to.be.accessible();
    } finally {
      spy.restore();
    }
  });

  it("an ancestor's lang changed after load re-renders the UI in the new language", async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-knee-oa' });
    const title = () => shadow(el).querySelector('h2')!.textContent;
    expect(title()).to.equal('Clinical codes');
    el.parentElement!.setAttribute('lang', 'es');
    await until(() => title() === 'Códigos clínicos', 'Spanish title');
    expect(shadow(el).querySelector('div[lang]')!.getAttribute('lang')).to.equal('es');
    await settle(el);
    expect(shadow(cards(el)[0]!).querySelector('button.accept')!.textContent!.trim()).to.equal('Aceptar');
    el.parentElement!.removeAttribute('lang');
    await until(() => title() === 'Clinical codes', 'back to English');
  });
});

describe('LocaleController', () => {
  it('resolves lang through the shadow roots of enclosing hosts, and watches every ancestor on the way', async () => {
    const outer = await fixture<HTMLDivElement>(fixtureHtml`<div lang="es"><section></section></div>`);
    const wrapper = await host(outer.querySelector('section')!);
    const inner = document.createElement('test-controller-host') as TestHost;
    const locale = new LocaleController(inner);
    wrapper.shadowRoot!.append(inner);
    await inner.updateComplete;
    expect(locale.requested).to.equal('es');
    expect(locale.current.lang).to.equal('es');
    expect(locale.current, 'cached per locale').to.equal(locale.current);
    const renders = inner.renders;
    outer.querySelector('section')!.setAttribute('lang', 'en-GB');
    await until(() => inner.renders > renders, 're-render on an ancestor lang change');
    expect(locale.requested).to.equal('en-GB');
    expect(locale.current.percent(0.5)).to.equal('50%');
  });

  it('stops watching when the host leaves the page', async () => {
    const parent = await fixture<HTMLDivElement>(fixtureHtml`<div lang="en"></div>`);
    const el = await host(parent);
    new LocaleController(el);
    await el.updateComplete;
    el.remove();
    const renders = el.renders;
    parent.setAttribute('lang', 'es');
    await new Promise((r) => setTimeout(r, 20));
    expect(el.renders).to.equal(renders);
  });
});

describe('AnnouncerController', () => {
  it('queues an announcement made before the first render, and repeats a repeated one audibly', async () => {
    const el = document.createElement('test-controller-host') as TestHost;
    const announcer = new AnnouncerController(el);
    el.view = () => html`<div id="live" role="status"></div>`;
    announcer.announce('Loading');
    (await fixture<HTMLDivElement>(fixtureHtml`<div></div>`)).append(el);
    await el.updateComplete;
    const region = el.shadowRoot!.querySelector('#live')!;
    expect(region.textContent).to.equal('Loading');
    announcer.announce('Loading');
    expect(region.textContent).to.equal('Loading\u00a0');
  });
});

describe('ProgressiveRenderController', () => {
  it('renders a first window, grows it as a spacer nears the view, moves it towards an index, and stops observing when disconnected', async () => {
    const disconnects: IntersectionObserver[] = [];
    const original = IntersectionObserver.prototype.disconnect;
    IntersectionObserver.prototype.disconnect = function (this: IntersectionObserver) {
      disconnects.push(this);
      original.call(this);
    };
    try {
      const el = document.createElement('test-controller-host') as TestHost;
      const progressive = new ProgressiveRenderController(el);
      const items = Array.from({ length: 500 }, (_, i) => i);
      const spacer = (from: number, to: number) => (to > from ? html`<div class="spacer" data-from=${from} data-to=${to}></div>` : '');
      el.view = () => {
        const { start, limit } = progressive.windowFor(items.length);
        return html`${spacer(0, start)}<ul class="list">${items.slice(start, limit).map((i) => html`<li style="height:2px">${i}</li>`)}</ul>${spacer(limit, items.length)}`;
      };
      const parent = await fixture<HTMLDivElement>(fixtureHtml`<div></div>`);
      parent.append(el);
      expect(progressive.limit).to.equal(FIRST_CARDS);
      // 40 rows of 2px leave the spacer after them in view: the window grows until it is full.
      await until(() => progressive.limit > FIRST_CARDS + MORE_CARDS, 'growth by the spacer');
      await until(() => progressive.limit - progressive.start > MAX_CARDS - MORE_CARDS, 'a full window');
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      expect(progressive.limit - progressive.start, 'never more than the window').to.be.at.most(MAX_CARDS);
      expect(el.shadowRoot!.querySelectorAll('li').length).to.equal(progressive.limit - progressive.start);
      // The spacers stand for the cards they replace, at the measured card height (2 px).
      const after = el.shadowRoot!.querySelector<HTMLElement>('.spacer[data-to="500"]')!;
      expect(after.getBoundingClientRect().height).to.be.closeTo((500 - progressive.limit) * 2, 2 * 20);
      expect(progressive.growTo(progressive.start + 1)).to.equal(true);
      expect(progressive.growTo(400)).to.equal(false);
      expect(progressive.start).to.be.at.most(400);
      expect(progressive.limit).to.be.greaterThan(400);
      progressive.reset();
      expect([progressive.start, progressive.limit]).to.deep.equal([0, FIRST_CARDS]);
      const count = disconnects.length;
      el.remove();
      expect(disconnects.length).to.be.greaterThan(count);
    } finally {
      IntersectionObserver.prototype.disconnect = original;
    }
  });
});

describe('RovingFocusController', () => {
  function rovingHost(count: number) {
    const el = document.createElement('test-controller-host') as TestHost;
    const entities = Array.from({ length: count }, (_, i) => ({ id: `e${i}`, similar: [] }) as unknown as EntityView);
    const decided: [string, ReviewStatus][] = [];
    const progressive = new ProgressiveRenderController(el);
    const focus = new RovingFocusController(
      el,
      {
        list: { view: { list: entities } },
        progressive,
        review: { setStatus: (entity, status) => void decided.push([entity.id, status]), swap: () => {} },
        expand: () => {},
      },
      'li',
    );
    el.view = () =>
      html`<ul @keydown=${focus.onKeydown} @focusin=${focus.onFocusin}>
        ${entities.slice(progressive.windowFor(entities.length).start, progressive.limit).map((e) => html`<li data-id=${e.id} tabindex=${e.id === focus.tabStop(entities) ? '0' : '-1'}>${e.id}<input /></li>`)}
      </ul>`;
    const key = (target: Element, k: string) =>
      target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true }));
    const item = (id: string) => el.shadowRoot!.querySelector<HTMLElement>(`li[data-id="${id}"]`)!;
    return { el, focus, progressive, decided, key, item };
  }

  it('arrows move the tab stop and the focus; shortcuts act on the item they were pressed on; keys in inputs are left alone', async () => {
    const { el, focus, decided, key, item } = rovingHost(3);
    (await fixture<HTMLDivElement>(fixtureHtml`<div></div>`)).append(el);
    await el.updateComplete;
    expect(item('e0').tabIndex).to.equal(0);
    item('e0').focus();
    key(item('e0'), 'ArrowDown');
    await until(() => el.shadowRoot!.activeElement === item('e1'), 'focus on e1');
    expect(item('e1').tabIndex).to.equal(0);
    expect(item('e0').tabIndex).to.equal(-1);
    key(item('e2'), 'a');
    expect(decided).to.deep.equal([['e2', 'ACCEPTED']]);
    expect(focus.focusedId).to.equal('e2');
    key(item('e0').querySelector('input')!, 'r');
    expect(decided).to.have.length(1);
  });

  it('End far past the rendered chunk grows the list to it and focuses it; leaving the page mid-way cancels the walk', async () => {
    const { el, progressive, key, item } = rovingHost(300);
    (await fixture<HTMLDivElement>(fixtureHtml`<div style="height:0;overflow:hidden"></div>`)).append(el);
    await el.updateComplete;
    item('e0').focus();
    key(item('e0'), 'End');
    await until(() => el.shadowRoot!.activeElement === item('e299'), 'focus on the last item');
    // The window jumped to the end: the first items are not rendered, and never more than the window.
    expect(progressive.start).to.be.greaterThan(0);
    expect(el.shadowRoot!.querySelectorAll('li').length).to.be.at.most(MAX_CARDS);

    const second = rovingHost(300);
    (await fixture<HTMLDivElement>(fixtureHtml`<div style="height:0;overflow:hidden"></div>`)).append(second.el);
    await second.el.updateComplete;
    second.item('e0').focus();
    second.key(second.item('e0'), 'End');
    second.el.remove();
    const window = [second.progressive.start, second.progressive.limit];
    await new Promise((r) => setTimeout(r, 100));
    expect([second.progressive.start, second.progressive.limit], 'no move after the host left').to.deep.equal(window);
  });
});

describe('SessionLoadController', () => {
  it("a reload input changed mid-load aborts the old run's requests; leaving the page aborts the new run and its timer", async () => {
    const user = newUser();
    await setScenario(user, { generationMs: 3000 });
    const spy = spyOnFetch();
    try {
      const { el } = await mount({ user, sessionId: 'fx-knee-oa' });
      await until(() => spy.calls.some((c) => c.url.includes('fx-knee-oa/clinical-codes')), 'first codes request');
      const first = spy.calls.filter((c) => c.url.includes('/mock-heidi/sessions/fx-knee-oa'));
      el.sessionId = 'fx-t2dm-review';
      await until(() => spy.calls.some((c) => c.url.includes('fx-t2dm-review/clinical-codes')), 'second codes request');
      expect(first.every((c) => c.signal?.aborted)).to.equal(true);
      await until(() => !!shadow(el).querySelector('.state button'), 'generating, with Cancel');
      const second = spy.calls.filter((c) => c.url.includes('fx-t2dm-review/clinical-codes'));
      const status = () => shadow(el).querySelector('.state')!.textContent;
      await leave(el);
      expect(second.every((c) => c.signal?.aborted)).to.equal(true);
      const shown = status();
      await new Promise((r) => setTimeout(r, 1100));
      expect(status(), 'the generating seconds stopped').to.equal(shown);
    } finally {
      spy.restore();
    }
  });
});

describe('ToolbarPanelsController', () => {
  it('opens one panel at a time from its toolbar button, confirms a batch with an announcement, and gives focus back to the opener on close', async () => {
    const { el } = await mountLoaded({ sessionId: 'fx-glaucoma-check' });
    await settle(el);
    const root = shadow(el);
    const toggle = (panel: string) => root.querySelector<HTMLButtonElement>(`.toolbar button[data-panel="${panel}"]`)!;

    toggle('shortcuts').click();
    await settle(el);
    expect(toggle('shortcuts').getAttribute('aria-expanded')).to.equal('true');
    expect(root.querySelector('#keys-title')).to.exist;
    const close = [...root.querySelectorAll<HTMLButtonElement>('.panel button')].find((b) => !b.closest('dl'))!;
    close.click();
    await settle(el);
    expect(root.querySelector('#keys-title')).to.equal(null);
    expect(root.activeElement).to.equal(toggle('shortcuts'));

    toggle('batch').click();
    await settle(el);
    const confirm = root.querySelector<HTMLButtonElement>('.batch-confirm')!;
    const count = Number(/\d+/.exec(confirm.textContent ?? '')?.[0] ?? '0');
    expect(count).to.be.greaterThan(0);
    confirm.click();
    await settle(el);
    expect(root.querySelector('#batch-title')).to.equal(null);
    expect(root.activeElement).to.equal(toggle('batch'));
    expect(cards(el).filter((c) => c.getAttribute('status') === 'ACCEPTED')).to.have.length(count);
    await until(() => (root.querySelector('#live')?.textContent ?? '').includes(String(count)), 'the batch announcement');
  });
});
