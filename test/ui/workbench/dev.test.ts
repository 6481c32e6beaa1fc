/** The workbench story with the extension loaded from the development folder (extensionDevelopmentPath). */
import { describeStory } from './story';

describeStory('dev');
