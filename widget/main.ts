/**
 * Script-tag entry: `<script src="https://…/deskie-form.js" data-form="support" async></script>`.
 * The build replaces __DF_APP__ with the form chunk's hashed file name (see vite.config.ts).
 */
import { start } from './loader';

declare const __DF_APP__: string;

const script = document.currentScript as HTMLScriptElement | null;
start(() => import(/* @vite-ignore */ new URL(__DF_APP__, script?.src ?? location.href).href), script);
