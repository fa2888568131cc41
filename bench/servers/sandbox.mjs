/** The gateway sandbox (dist) on loopback, mounted at /sandbox. Config: {}. */
import express from "express";
import { closeServer, listenOnLoopback, serveParent } from "../lib/child.mjs";
import { distFiles } from "../lib/paths.mjs";

const { createSandbox } = await import(distFiles.sandbox);

serveParent(async () => {
  const app = express();
  const sandbox = createSandbox();
  app.use("/sandbox", sandbox);
  const { server, url } = await listenOnLoopback(app);
  return {
    url: `${url}/sandbox`,
    close: async () => {
      sandbox.close();
      await closeServer(server);
    },
  };
});
