// The panels' labels are added to the tables when a panel's module runs (panel-labels.ts), so that the
// script tag's loader does not carry them. This file imports no panel.
import { expect } from '@open-wc/testing';
import { LABEL_ATTRIBUTES, LABEL_KEYS, labelOverrides, labelsFor } from './i18n.js';
import { addPanelLabels } from './i18n/panel-labels.js';

describe('labels: the panels add theirs', () => {
  it('before a panel runs: the call\'s labels only; after: the panels\' too, in both languages, once', () => {
    const element = document.createElement('div');
    element.setAttribute('label-stats-panel', 'Quality');
    element.setAttribute('label-join', 'Enter');
    expect(LABEL_KEYS).to.include('join');
    expect(LABEL_KEYS).not.to.include('statsPanel');
    expect(LABEL_ATTRIBUTES).not.to.include('label-stats-panel');
    expect(labelsFor('en').statsPanel).to.equal(undefined);
    expect(labelOverrides(element, undefined)).to.deep.equal({ join: 'Enter' });
    const count = LABEL_KEYS.length;

    addPanelLabels();
    expect(LABEL_KEYS).to.include('statsPanel');
    expect(LABEL_ATTRIBUTES).to.include('label-stats-panel');
    expect(labelsFor('en').statsPanel).to.equal('Call quality');
    expect(labelsFor('ru').statsPanel).to.equal('Качество связи');
    expect(labelsFor('ru').join).to.equal('Войти');
    expect(labelOverrides(element, undefined)).to.deep.equal({ statsPanel: 'Quality', join: 'Enter' });
    const added = LABEL_KEYS.length - count;
    expect(added).to.be.greaterThan(50);
    expect(LABEL_ATTRIBUTES).to.have.length(LABEL_KEYS.length);

    addPanelLabels();
    expect(LABEL_KEYS).to.have.length(count + added);
    expect(new Set(LABEL_KEYS).size).to.equal(LABEL_KEYS.length);
  });
});
