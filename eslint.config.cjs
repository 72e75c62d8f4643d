// eslint of `make lint` (scripts/lint.sh): its recommended rules over the operator terminal
// (ES modules in the browser, and its service worker), the backend's Odoo 11 widgets, and the
// terminal's node tests. The packages come from .local/node, where scripts/setup_lint.sh
// installs them (pinned there), not from a node_modules beside this file.
const path = require('node:path');
const { createRequire } = require('node:module');

const fromLocal = createRequire(path.join(__dirname, '.local', 'node', 'package.json'));
const js = fromLocal('@eslint/js');
const globals = fromLocal('globals');

module.exports = [
  { ignores: ['.local/**', 'node_modules/**'] },
  js.configs.recommended,
  {
    files: ['static/terminal/js/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.browser },
  },
  {
    files: ['static/terminal/sw.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'script', globals: globals.serviceworker },
  },
  {
    // Odoo 11's web client: odoo.define modules, jQuery, underscore and nvd3's d3.
    files: ['static/src/js/**/*.js'],
    languageOptions: {
      ecmaVersion: 2017,
      sourceType: 'script',
      globals: { ...globals.browser, odoo: 'readonly', $: 'readonly', _: 'readonly', d3: 'readonly' },
    },
  },
  {
    files: ['tests/browser/node/**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
  },
  {
    files: ['eslint.config.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
];
