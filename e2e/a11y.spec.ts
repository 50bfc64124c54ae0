import { test, expect, expectNoAxeViolations, full, navigateInApp } from './fixtures';

// Every page and state, in both themes: the system's light and dark (`prefers-color-scheme`,
// which the reader's own choice in Display settings sets the same way: style/tokens.css).
for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('home has no axe violations', async ({ page }) => {
      await page.goto('/');
      await expect(page.getByRole('main').getByRole('listitem').first()).toBeVisible();
      await expect(page.getByRole('complementary', { name: 'Related stories' }).getByRole('heading').first()).toBeVisible();
      await expectNoAxeViolations(page);
    });

    test('a section has no axe violations', async ({ page }) => {
      await page.goto(`/section/${full.section.slug}`);
      await expect(page.getByRole('main').getByRole('listitem').first()).toBeVisible();
      await expectNoAxeViolations(page);
    });

    test('an article has no axe violations', async ({ page }) => {
      await page.goto(`/article/${full.slug}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
      await expect(page.getByRole('heading', { name: /^Comments/ })).toBeVisible();
      await expectNoAxeViolations(page);
    });

    test('saved has no axe violations', async ({ page }) => {
      await page.goto('/saved');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
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

    test('search results, no results and a refused query have no axe violations', async ({ page }) => {
      const word = full.headline.split(/\s+/).find((w) => w.length > 4)!;
      await page.goto(`/search?q=${encodeURIComponent(word)}`);
      await expect(page.getByRole('main').locator('mark').first()).toBeVisible();
      await expectNoAxeViolations(page);
      await page.goto('/search?q=zzzqqqxxyy');
      await expect(page.getByRole('main').getByRole('listitem').first()).toBeVisible();
      await expectNoAxeViolations(page);
      await page.goto(`/search?q=${'a'.repeat(300)}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoAxeViolations(page);
    });

    test('a tag page and an author page have no axe violations', async ({ page }) => {
      await page.goto(`/article/${full.slug}`);
      await page.getByRole('navigation', { name: 'Tags' }).getByRole('link').first().click();
      await expect(page).toHaveURL(/\/tag\//);
      await expect(page.getByRole('main').getByRole('listitem').first()).toBeVisible();
      await expectNoAxeViolations(page);
      await page.goto(`/article/${full.slug}`);
      await page.getByRole('link', { name: full.byline!.name, exact: true }).click();
      await expect(page).toHaveURL(/\/author\//);
      await expect(page.getByRole('main').getByRole('listitem').first()).toBeVisible();
      await expectNoAxeViolations(page);
    });

    test('the display settings, open, have no axe violations', async ({ page }) => {
      await page.goto('/');
      await page.getByRole('banner').getByText('Display', { exact: true }).click();
      await expect(page.getByRole('group', { name: 'Text size' })).toBeVisible();
      await expectNoAxeViolations(page);
    });
  });
}

test('landmarks: one banner, one main, one contentinfo, the related stories', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('contentinfo')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Related stories' })).toHaveCount(1);
});
