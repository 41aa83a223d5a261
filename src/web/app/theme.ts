import { type CSSVariablesResolver, createTheme, DataList, Notification } from '@mantine/core';
import dataListClasses from '../ui/data-list.module.css';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 7 keeps white button text and link text above 4.5:1 contrast.
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'md',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '650' },
  cursorType: 'pointer',
  components: {
    // Mantine's close button is an icon only: give every notification's a name.
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
    }),
    // Every detail page's list fits a 390 px screen: values wrap, labels go above values on phones.
    DataList: DataList.extend({
      classNames: {
        item: dataListClasses.item,
        itemLabel: dataListClasses.label,
        itemValue: dataListClasses.value,
      },
    }),
  },
});

/**
 * Mantine's default "dimmed" grey is below 4.5:1 on white, and links and light-variant text fall
 * below it on hover backgrounds: secondary text and links must stay readable.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-anchor': 'var(--mantine-color-indigo-8)',
    // Text of light variants (active nav link, light buttons) on their hover background.
    '--mantine-primary-color-light-color': 'var(--mantine-color-indigo-9)',
    '--mantine-primary-color-light-hover': 'var(--mantine-color-indigo-1)',
    // Field error text (and the text of an input in error) at red 6 is 3.3:1 on white.
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {},
});
