import { test, expect, full, navigateInApp, viewBeacons } from './fixtures';

// A page load brings its article with it (rendered by the server): faults in the article API
// are met by following a link inside the running app.

const articleApi = `**/api/articles/${full.slug}`;

test('a server error shows a message, and Retry recovers', async ({ page, pageErrors }) => {
  const beacons = viewBeacons(page);
  let failures = 1;
  await page.route(articleApi, async (route) => {
    if (failures-- > 0) {
      await route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"boom"}}' });
    } else {
      await route.continue();
    }
  });
  await page.goto('/saved');
  await navigateInApp(page, `/article/${full.slug}`);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Broadsheet had a problem on its side (error 500)');
  await expect(page).toHaveTitle('Could not load the article — Broadsheet');
  expect(beacons, 'a page that failed to load is not a view').toEqual([]);
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.waitForLoadState('networkidle');
  expect(beacons, 'the page view counts once').toHaveLength(1);
  expect(pageErrors).toEqual([]);
});

// Every fault against the article, the comments list and the comment post, each with Retry:
// e2e/fault-matrix.spec.ts.

test('an unknown block type is left out and the rest of the article renders', async ({ page, pageErrors }) => {
  await page.route(articleApi, async (route) => {
    const response = await route.fetch();
    const article = await response.json();
    article.body.splice(1, 0, { type: 'hologram', src: '/x' }, { type: 'paragraph' });
    article.unexpected_field = { nested: true };
    await route.fulfill({ response, json: article });
  });
  await page.goto('/saved');
  await navigateInApp(page, `/article/${full.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
  const blocks = page.locator('.story__body > *');
  await expect(blocks.first()).toBeVisible();
  const api = await (await page.request.get(`/api/articles/${full.slug}`)).json();
  await expect(blocks).toHaveCount(api.body.length);
  expect(pageErrors).toEqual([]);
});

test('the home page shows an error with Retry when the list fails', async ({ page }) => {
  let failures = 1;
  await page.route('**/api/front', async (route) => {
    if (failures-- > 0) await route.fulfill({ status: 503, body: 'busy' });
    else await route.continue();
  });
  await page.goto('/saved');
  await navigateInApp(page, '/');
  await expect(page.getByRole('alert')).toContainText('Broadsheet is busy just now');
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('main').getByRole('listitem').first()).toBeVisible();
});
