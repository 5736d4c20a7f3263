import { addLabels } from '../i18n.js';
import { enPanels } from './en-panels.js';
import { ruPanels } from './ru-panels.js';

/**
 * Adds the labels of `<vinteo-presentation>`, `<vinteo-dialpad>`, `<vinteo-devices>` and `<vinteo-stats>` to the
 * tables. Each of those elements' modules calls it as it runs, so that the labels travel with the panels (the
 * script tag's panels chunk) and not in the loader. Calling it again changes nothing.
 */
export function addPanelLabels(): void {
  addLabels({ en: enPanels, ru: ruPanels });
}
