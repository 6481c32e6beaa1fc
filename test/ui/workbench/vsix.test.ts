/** The workbench story with the packaged extension: npm run package, then code-server --install-extension. */
import { describeStory } from './story';

describeStory('vsix');
