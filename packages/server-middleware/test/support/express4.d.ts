// Express 4, installed as the `express4` alias for the HTTP tests on both majors. Its API as
// used here is Express 5's (@types/express): the tests call only what both majors share.
declare module "express4" {
  import express from "express";
  export default express;
}
