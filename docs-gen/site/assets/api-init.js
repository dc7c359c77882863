// Starts the OpenAPI renderer (Redoc's standalone bundle, copied next to this file) on the
// document that api-spec.js defines. The spec is a script, not a fetched file, because
// browsers refuse fetch() of file:// URLs. data-api-state tells tests when it is done.
(function () {
  'use strict';
  var target = document.getElementById('redoc');
  document.body.setAttribute('data-api-state', 'loading');
  window.Redoc.init(
    window.ASHLAR_OPENAPI,
    {
      scrollYOffset: 'header.top',
      expandResponses: '200,201,202,300',
      jsonSampleExpandLevel: 4,
      pathInMiddlePanel: true,
      requiredPropsFirst: true,
      showExtensions: false,
      hideHostname: true,
    },
    target,
    function (error) {
      document.body.setAttribute('data-api-state', error ? 'error' : 'ready');
    },
  );
})();
