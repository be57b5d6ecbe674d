/**
 * The workerd entry: a module Worker. run.ts gives it `SECRET` and `VARIANT` as text bindings in its config.
 *
 * @module
 */
import type { Hono } from 'hono';
import { createApp } from './create-app.js';

interface Env {
  SECRET: string;
  VARIANT: string;
}

let app: Hono | undefined;

export default {
  fetch(request: Request, env: Env): Response | Promise<Response> {
    app ??= createApp(env.SECRET, { runtime: `workerd (${env.VARIANT})`, version: navigator.userAgent });
    return app.fetch(request);
  },
};
