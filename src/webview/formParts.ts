/**
 * The form's host side (controller and panel), bundled into its own file, dist/formHost.js, and `require`d
 * by extension.ts when the form is first opened or asked: the tree's first paint does not need it
 * (scripts/lazyChunks.mjs).
 */
export { FormController } from './formController';
export { ConnectionFormPanel } from './formPanel';
