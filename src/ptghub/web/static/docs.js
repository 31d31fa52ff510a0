// Starts Swagger UI (/docs) on the element that names the OpenAPI document in
// data-openapi: the page carries no inline script, so its Content-Security-Policy can
// allow scripts from this site only.
(function () {
  "use strict";

  var swagger = document.getElementById("swagger-ui");
  if (swagger && typeof window.SwaggerUIBundle === "function") {
    window.SwaggerUIBundle({
      url: swagger.dataset.openapi,
      dom_id: "#swagger-ui",
      layout: "BaseLayout",
      deepLinking: true,
      showExtensions: true,
      showCommonExtensions: true,
      presets: [window.SwaggerUIBundle.presets.apis]
    });
  }
})();
