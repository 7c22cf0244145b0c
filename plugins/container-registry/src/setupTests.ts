import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The whole suite runs in parallel on small CI machines: give renders time to settle.
configure({ asyncUtilTimeout: 5000 });
