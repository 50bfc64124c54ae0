import { test, expect, expectNoAxeViolations, full, navigateInApp } from './fixtures';

test('home has no axe violations', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('main').getByRole('listitem').first()).toBeVisible();
  await expectNoAxeViolations(page);
});

test('an article has no axe violations', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
  await expectNoAxeViolations(page);
});

test('the not-found page has no axe violations', async ({ page }) => {
  await page.goto('/article/no-such-story-exists');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Article not found');
  await expectNoAxeViolations(page);
});

test('the error state has no axe violations', async ({ page }) => {
  await page.route(`**/api/articles/${full.slug}`, (route) => route.fulfill({ status: 500, body: '' }));
  await page.goto('/saved');
  await navigateInApp(page, `/article/${full.slug}`);
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('landmarks: one banner, one main, one contentinfo', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('contentinfo')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
});
