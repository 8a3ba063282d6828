import { CARD_RUN, cardSpans } from '../cards.js';
import { defineDetector } from './detector.js';
import { F_DIGITS13 } from './features.js';

export const paymentCard = defineDetector({
  id: 'payment_card',
  description:
    'payment card numbers: 13–19 digits (spaces or dashes between groups allowed), first digit 2–6, passing the Luhn check; also integer JSON numbers of that shape',
  find: cardSpans,
  minLength: 13,
  needs: F_DIGITS13,
  regexes: [CARD_RUN],
  defaultPack: true,
  samples: {
    redacts: [
      ['card 4111 1111 1111 1111 ok', 'card # ok'],
      ['card 4111-1111-1111-1111', 'card #'],
      ['amex 378282246310005.', 'amex #.'],
      ['id 12 4111111111111111', 'id 12 #'],
    ],
    ignores: ['card 4111 1111 1111 1112 fails luhn', 'epoch 1700000000000 is not a card (first digit 1)'],
    smallest: '4111111111119', // 13 digits passing Luhn
  },
});
