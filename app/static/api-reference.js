// The API reference page: Swagger UI (static/vendor/swagger-ui) draws the served OpenAPI
// document. A reading aid only: no "Try it out" (supportedSubmitMethods), nothing sent to the
// public validator (validatorUrl), so the page needs no other origin than ours.
(function () {
  "use strict";
  const box = document.getElementById("api-reference");
  if (!box || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: box.dataset.spec,
    domNode: box,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    supportedSubmitMethods: [],
    defaultModelsExpandDepth: -1,
    onComplete: function () {
      box.removeAttribute("aria-busy");
    },
  });
})();
