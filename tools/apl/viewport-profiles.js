// A local stand-in for Amazon's `alexa-viewport-profiles` APL package, for offline rendering.
//
// On a device Alexa supplies the package. This machine cannot download it, so the renderer is
// given this one, built from the profile definitions Amazon ships in apl-suggester
// (configs/viewportProfiles/*.json: mode, shape and dp size range of each profile). It defines
// the same resource names our documents use: @viewportProfile and one string per profile.
'use strict';
const path = require('path');
const fs = require('fs');

// apl-suggester's profile id -> the resource name in alexa-viewport-profiles
const NAMES = {
  hubRound: 'hubRoundSmall',
  hubLandscapeSmall: 'hubLandscapeSmall',
  hubLandscapeMedium: 'hubLandscapeMedium',
  hubLandscape: 'hubLandscapeLarge',
  hubLandscapeExtraLarge: 'hubLandscapeXLarge',
  hubPortraitMedium: 'hubPortraitMedium',
  tvFullscreen: 'tvLandscapeXLarge',
  mobileSmall: 'mobileSmall',
  mobileMedium: 'mobileMedium',
  mobileLarge: 'mobileLarge',
};

function profiles() {
  const dir = path.join(path.dirname(require.resolve('apl-suggester/package.json')),
    'dist', 'src', 'configs', 'viewportProfiles');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))
    .filter((p) => NAMES[p.id]);
}

function viewportProfilesPackage() {
  const names = {};
  const resources = [];
  for (const p of profiles()) {
    const name = NAMES[p.id];
    names[name] = name;
    const r = p.dpSizeRange;
    resources.push({
      description: `${p.name} (from apl-suggester)`,
      when: `\${viewport.mode == '${p.mode}' && viewport.shape == '${p.shape}'`
        + ` && viewport.width >= ${r.minWidth} && viewport.width <= ${r.maxWidth}`
        + ` && viewport.height >= ${r.minHeight} && viewport.height <= ${r.maxHeight}}`,
      strings: { viewportProfile: name },
    });
  }
  return {
    type: 'APL',
    version: '2024.3',
    resources: [{ strings: { ...names, viewportProfile: 'unknown' } }, ...resources],
  };
}

module.exports = { viewportProfilesPackage, NAMES };
